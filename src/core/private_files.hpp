#pragma once
// Files that hold career data (the database and its -wal/-shm, backups, exports, charts) are
// readable by their owner only, whatever the umask of the shell, systemd unit or container.
#include <string>

namespace careerbot {

/// Writes `content` to `path`, creating it with mode 0600 (an existing file is truncated and
/// tightened to 0600). Throws careerbot::Error with the reason when it cannot.
void write_private_file(const std::string& path, const std::string& content);

/// Makes sure `path` exists with mode 0600 before a library (SQLite) opens it, and tightens an
/// existing one, with its `-wal` and `-shm` companions, to 0600. Returns true if any mode had
/// to be tightened. Does nothing for ":memory:" or SQLite URIs.
bool make_private(const std::string& path);

}  // namespace careerbot
