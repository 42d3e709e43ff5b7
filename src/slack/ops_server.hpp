#pragma once
// The operators' endpoint of `careerbot run`: GET /healthz and GET /metrics (Prometheus) over
// plain HTTP on a loopback port, served by Boost.Beast on a thread of its own so a scrape
// never touches the io or storage threads.
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "src/core/metrics.hpp"

namespace careerbot::slack {

struct Health {
    bool ok = true;
    nlohmann::json details = nlohmann::json::object();
};

struct OpsServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 0;         ///< 0 = any free port (see OpsServer::port)
    std::function<Health()> health;  ///< called on the server's thread for each /healthz
};

class OpsServer {
  public:
    /// /metrics serves `metrics`, which must outlive this server.
    OpsServer(OpsServerOptions options, const Metrics& metrics);
    ~OpsServer();
    OpsServer(const OpsServer&) = delete;
    OpsServer& operator=(const OpsServer&) = delete;

    /// Binds and starts serving; throws std::runtime_error when the address cannot be bound.
    void start();
    /// The bound port (useful with port 0).
    unsigned short port() const;
    /// Stops serving and joins the thread; idempotent.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace careerbot::slack
