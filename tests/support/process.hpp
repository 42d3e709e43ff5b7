#pragma once
// Helpers for end-to-end tests: spawn the real binary with its own environment and working
// directory, capture its stderr in a file, signal it, and wait for things with a deadline.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace careerbot::testing {

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
  public:
    /// Creates careerbot-e2e-<pid>-<n>-<tag>.
    explicit TempDir(const std::string& tag = "t");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::filesystem::path& path() const { return path_; }
    /// A path inside it.
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

/// How to start a child process.
struct ChildOptions {
    std::string executable;         ///< absolute path
    std::vector<std::string> args;  ///< arguments after argv[0]
    /// Changes to the inherited environment: a value sets it, nullopt removes it.
    std::map<std::string, std::optional<std::string>> env;
    std::filesystem::path cwd;          ///< empty: inherit
    std::filesystem::path stdout_path;  ///< empty: /dev/null
    std::filesystem::path stderr_path;  ///< empty: /dev/null
};

/// A spawned process; killed (SIGKILL) and reaped on destruction if still running. When
/// CAREERBOT_E2E_LOG_DIR is set (ctest sets it), what it wrote to its stdout/stderr files is
/// copied there on destruction, so one last test can scan every log the suite produced.
class ChildProcess {
  public:
    /// Spawns at once; throws std::runtime_error if it cannot.
    explicit ChildProcess(const ChildOptions& options);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The process id.
    pid_t pid() const { return pid_; }
    /// True while it has not exited.
    bool running();
    /// Sends `sig` if it is still running.
    void signal(int sig);
    /// Its exit code (128 + signal number when killed), or nullopt if still running after
    /// `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout);

  private:
    bool reap(bool block);
    void keep_logs() const;
    pid_t pid_ = -1;
    std::vector<std::filesystem::path> logs_;  ///< its stdout/stderr files, each once
    std::optional<int> exit_code_;
};

/// The environment of a bot under test: its tokens, the Slack test server's Web API URL, no
/// config file and no proxy (every request stays on 127.0.0.1).
std::map<std::string, std::optional<std::string>> slack_bot_env(const std::string& bot_token,
                                                                const std::string& app_token,
                                                                const std::string& api_url);

/// The whole content of a file ("" when it does not exist).
std::string read_text(const std::filesystem::path& file);

/// Polls `condition` until it holds (true) or `timeout` passes (false).
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(10));

}  // namespace careerbot::testing
