#include "src/core/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "src/core/error.hpp"

namespace careerbot {
namespace {

/// chmod 0600 when group or others have any access; true if it changed something.
bool tighten(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return false;
    return ::chmod(path.c_str(), S_IRUSR | S_IWUSR) == 0;
}

}  // namespace

void write_private_file(const std::string& path, const std::string& content) {
    // The mode given to open() is masked by the umask, but never widened: 0600 stays 0600.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    (void)::fchmod(fd, S_IRUSR | S_IWUSR);  // an existing file keeps its old mode otherwise
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            throw Error("cannot write " + path + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
}

bool make_private(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.starts_with("file:")) return false;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd >= 0) ::close(fd);
    // SQLite creates -wal and -shm with the database file's mode; older ones are tightened.
    bool changed = tighten(path);
    changed = tighten(path + "-wal") || changed;
    changed = tighten(path + "-shm") || changed;
    return changed;
}

}  // namespace careerbot
