#include "src/slack/ops_server.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"

namespace careerbot::slack {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using beast::error_code;

/// Whatever a client sends, it gets at most this long to send its request.
constexpr auto kRequestTimeout = std::chrono::seconds(5);

/// One request, one response, then close: scrapes are rare and tiny.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, const OpsServerOptions& options, const Metrics& metrics)
        : stream_(std::move(socket)), options_(options), metrics_(metrics) {}

    void start() {
        stream_.expires_after(kRequestTimeout);
        http::async_read(stream_, buffer_, request_,
                         [self = shared_from_this()](error_code ec, std::size_t) {
                             if (!ec) self->respond();
                         });
    }

  private:
    void respond() {
        auto res = std::make_shared<http::response<http::string_body>>();
        res->version(request_.version());
        res->keep_alive(false);
        res->set(http::field::server, "careerbot");
        const std::string_view target(request_.target().data(), request_.target().size());
        const std::string_view path = target.substr(0, target.find('?'));
        if (request_.method() != http::verb::get && request_.method() != http::verb::head) {
            res->result(http::status::method_not_allowed);
            res->set(http::field::allow, "GET, HEAD");
            res->set(http::field::content_type, "text/plain");
            res->body() = "only GET\n";
        } else if (path == "/metrics") {
            res->result(http::status::ok);
            res->set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
            res->body() = metrics_.prometheus();
        } else if (path == "/healthz") {
            Health h;
            try {
                if (options_.health) h = options_.health();
            } catch (const std::exception& e) {
                h.ok = false;
                h.details["error"] = e.what();
            }
            h.details["status"] = h.ok ? "ok" : "unhealthy";
            res->result(h.ok ? http::status::ok : http::status::service_unavailable);
            res->set(http::field::content_type, "application/json");
            res->set(http::field::cache_control, "no-store");
            res->body() = h.details.dump() + "\n";
        } else {
            res->result(http::status::not_found);
            res->set(http::field::content_type, "text/plain");
            res->body() = "careerbot serves /healthz and /metrics\n";
        }
        res->prepare_payload();
        if (request_.method() == http::verb::head) res->body().clear();
        http::async_write(stream_, *res, [self = shared_from_this(), res](error_code, std::size_t) {
            error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
    }

    beast::tcp_stream stream_;
    const OpsServerOptions& options_;
    const Metrics& metrics_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
};

}  // namespace

struct OpsServer::Impl {
    Impl(OpsServerOptions o, const Metrics& m) : options(std::move(o)), metrics(m) {}

    void accept() {
        acceptor.async_accept([this](error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) std::make_shared<Session>(std::move(socket), options, metrics)->start();
            accept();
        });
    }

    OpsServerOptions options;
    const Metrics& metrics;
    net::io_context io{1};
    tcp::acceptor acceptor{io};
    std::thread thread;
    std::atomic<unsigned short> bound_port{0};
};

OpsServer::OpsServer(OpsServerOptions options, const Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), metrics)) {}

OpsServer::~OpsServer() { stop(); }

void OpsServer::start() {
    error_code ec;
    const auto address = net::ip::make_address(impl_->options.address, ec);
    if (ec)
        throw std::runtime_error("ops address '" + impl_->options.address +
                                 "' is not an IP address");
    const tcp::endpoint endpoint(address, impl_->options.port);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        throw std::runtime_error("cannot serve /healthz and /metrics on " + impl_->options.address +
                                 ":" + std::to_string(impl_->options.port) + ": " + ec.message());
    }
    impl_->bound_port = acceptor.local_endpoint().port();
    impl_->accept();
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

unsigned short OpsServer::port() const { return impl_->bound_port; }

void OpsServer::stop() {
    if (!impl_->thread.joinable()) return;
    net::post(impl_->io, [this] {
        error_code ignored;
        impl_->acceptor.close(ignored);
        impl_->io.stop();
    });
    impl_->thread.join();
}

}  // namespace careerbot::slack
