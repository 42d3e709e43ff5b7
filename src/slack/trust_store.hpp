#pragma once
// Shared by the two TLS clients (Socket Mode over OpenSSL, the Web API over libcurl): how to
// use the system's trust store without parsing the whole CA bundle into memory.

namespace careerbot::slack {

/// True when `dir` holds OpenSSL's hashed certificate links (c_rehash / update-ca-certificates
/// name them like 3513523f.0), so OpenSSL can load the one issuer a chain needs from it
/// instead of all ~140 roots of the bundle (~0.7 MB of heap per TLS context).
bool has_hashed_certs(const char* dir);

}  // namespace careerbot::slack
