#include "tests/support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace careerbot::testing {
namespace fs = std::filesystem;

TempDir::TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("careerbot-e2e-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter++) + "-" + tag);
    fs::remove_all(path_);
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

namespace {
/// posix_spawn's file actions, freed on every path.
struct FileActions {
    posix_spawn_file_actions_t actions;
    FileActions() { posix_spawn_file_actions_init(&actions); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};
}  // namespace

ChildProcess::ChildProcess(const ChildOptions& options) {
    // The environment: the parent's, with the requested changes.
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : options.env) {
        if (v)
            env[k] = *v;
        else
            env.erase(k);
    }
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> arg_strings{options.executable};
    arg_strings.insert(arg_strings.end(), options.args.begin(), options.args.end());
    std::vector<char*> argv;
    for (auto& s : arg_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    // posix_spawn rather than fork: the test process runs server threads, and spawn does not
    // run arbitrary code between fork and exec.
    FileActions fa;
    posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
    const std::string out =
        options.stdout_path.empty() ? "/dev/null" : options.stdout_path.string();
    const std::string err =
        options.stderr_path.empty() ? "/dev/null" : options.stderr_path.string();
    posix_spawn_file_actions_addopen(&fa.actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_addopen(&fa.actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    for (const auto& f : {options.stdout_path, options.stderr_path}) {
        if (!f.empty() && std::find(logs_.begin(), logs_.end(), f) == logs_.end())
            logs_.push_back(f);
    }
    const std::string cwd = options.cwd.string();
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa.actions, cwd.c_str());
    int rc = posix_spawn(&pid_, options.executable.c_str(), &fa.actions, nullptr, argv.data(),
                         envp.data());
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + options.executable + ": " + std::strerror(rc));
    }
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !exit_code_) {
        ::kill(pid_, SIGKILL);
        reap(true);
    }
    keep_logs();
}

void ChildProcess::keep_logs() const {
    const char* dir = std::getenv("CAREERBOT_E2E_LOG_DIR");
    if (dir == nullptr || *dir == '\0' || pid_ <= 0) return;
    std::error_code ec;
    fs::create_directories(dir, ec);
    for (std::size_t i = 0; i < logs_.size(); ++i) {
        // <test process>-<child>-<n>-<name>: unique across parallel test processes.
        auto name = std::to_string(::getpid()) + "-" + std::to_string(pid_) + "-" +
                    std::to_string(i) + "-" + logs_[i].filename().string();
        fs::copy_file(logs_[i], fs::path(dir) / name, fs::copy_options::overwrite_existing, ec);
    }
}

bool ChildProcess::reap(bool block) {
    if (exit_code_) return true;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r != pid_) return false;
    if (WIFEXITED(status))
        exit_code_ = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        exit_code_ = 128 + WTERMSIG(status);
    else
        exit_code_ = -1;
    return true;
}

bool ChildProcess::running() { return pid_ > 0 && !reap(false); }

void ChildProcess::signal(int sig) {
    if (running()) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    wait_until([&] { return !running(); }, timeout, std::chrono::milliseconds(5));
    return exit_code_;
}

std::map<std::string, std::optional<std::string>> slack_bot_env(const std::string& bot_token,
                                                                const std::string& app_token,
                                                                const std::string& api_url) {
    return {{"SLACK_BOT_TOKEN", bot_token}, {"SLACK_APP_TOKEN", app_token},
            {"SLACK_API_URL", api_url},     {"CAREERBOT_CONFIG", std::nullopt},
            {"http_proxy", std::nullopt},   {"https_proxy", std::nullopt},
            {"HTTP_PROXY", std::nullopt},   {"HTTPS_PROXY", std::nullopt},
            {"ALL_PROXY", std::nullopt},    {"NO_PROXY", "127.0.0.1,localhost"}};
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(poll);
    }
}

}  // namespace careerbot::testing
