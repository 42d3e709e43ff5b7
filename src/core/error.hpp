#pragma once
#include <stdexcept>
#include <string>

namespace careerbot {

/// Base of careerbot's exceptions: configuration and programming errors.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A problem with what a user typed; its message is shown to that user as is.
class UserError : public Error {
  public:
    using Error::Error;
};

}  // namespace careerbot
