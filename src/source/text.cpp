#include "source/text.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "migtest/error.hpp"

namespace migtest::detail {

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> out;
  std::size_t pos = 0;
  int number = 1;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) {
      eol = text.size();
    }
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    out.push_back({line, number++, pos});
    pos = eol + 1;
  }
  return out;
}

std::string goose_annotation(std::string_view comment) {
  comment = trim(comment);
  if (comment.size() < 6 || lower(comment.substr(0, 6)) != "+goose") {
    return "";
  }
  std::string out;
  bool space = false;
  for (char c : trim(comment.substr(6))) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) {
      out += ' ';
    }
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) {
    return "";
  }
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  if (S_ISCHR(mode)) {
    return "a character device";
  }
  if (S_ISBLK(mode)) {
    return "a block device";
  }
  return "a file of an unknown type";
}

[[noreturn]] void refuse_unreadable(const std::string& path) {
  int err = errno;
  throw parse_error(path, 0, fmt::format("cannot read the file ({})", std::strerror(err)));
}

// Where byte `at` stands, for messages: the line, and the column in characters (the bytes
// before `at` were checked to be UTF-8; a byte order mark is no column).
struct Position {
  int line = 1;
  int column = 1;
};

Position position_of(std::string_view bytes, std::size_t at) {
  Position p;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (bytes[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  if (line_start == 0 && without_bom(bytes).size() != bytes.size()) {
    line_start = 3;
  }
  for (std::size_t i = line_start; i < at; ++i) {
    if ((static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

[[noreturn]] void refuse_text(const std::string& path, std::string_view bytes, std::size_t at,
                              const std::string& what, const char* why) {
  Position p = position_of(bytes, at);
  throw parse_error(
      path, p.line,
      fmt::format("{} at offset {} (line {}, column {}): {}", what, at, p.line, p.column, why));
}

// The UTF-8 character starting at bytes[at] (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF): its length, or 0 with `bad` bytes making the invalid sequence
// (its first byte up to the one that breaks it) and `cut` when the file ends inside it.
struct Utf8 {
  std::size_t length = 0;
  std::size_t bad = 1;
  bool cut = false;
};

Utf8 utf8_at(std::string_view bytes, std::size_t at) {
  auto c = static_cast<unsigned char>(bytes[at]);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  }
  Utf8 u;
  if (n == 0) {
    return u;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if (at + k >= bytes.size()) {
      u.bad = k;
      u.cut = true;
      return u;
    }
    auto d = static_cast<unsigned char>(bytes[at + k]);
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
      u.bad = k + 1;
      return u;
    }
  }
  u.length = n;
  return u;
}

std::string hex_bytes(std::string_view bytes) {
  std::string out;
  for (char b : bytes) {
    out += fmt::format("{}0x{:02X}", out.empty() ? "" : " ", static_cast<unsigned char>(b));
  }
  return out;
}

}  // namespace

std::string not_a_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    return kind_of(st.st_mode);
  }
  int err = errno;
  if (err == ENOENT && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    return "a symbolic link to a missing file";
  }
  return fmt::format("a file that cannot be examined ({})", std::strerror(err));
}

void refuse_not_regular_file(const std::string& path, const std::string& kind) {
  throw parse_error(
      path, 0, fmt::format("{}, not a regular file: revision files must be regular files", kind));
}

std::string read_revision_file(const std::string& path) {
  // Look before opening: opening a FIFO blocks until a writer comes, a device may act.
  std::string kind = not_a_regular_file(path);
  if (!kind.empty()) {
    refuse_not_regular_file(path, kind);
  }
  // O_NONBLOCK: should the path become a FIFO after the look, opening it still returns.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    refuse_unreadable(path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    refuse_unreadable(path);
  }
  if (!S_ISREG(st.st_mode)) {
    refuse_not_regular_file(path, kind_of(st.st_mode));
  }
  std::string bytes;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      refuse_unreadable(path);
    }
    if (n == 0) {
      break;
    }
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  check_revision_text(path, bytes);
  return bytes;
}

void check_revision_text(const std::string& path, std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      bool control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F;
      if (control) {
        refuse_text(path, bytes, i, fmt::format("byte 0x{:02X}", c), "revision files must be text");
      }
      ++i;
      continue;
    }
    Utf8 u = utf8_at(bytes, i);
    if (u.length == 0) {
      refuse_text(path, bytes, i,
                  fmt::format("invalid UTF-8 {}{}", hex_bytes(bytes.substr(i, u.bad)),
                              u.cut ? " (cut short by the end of the file)" : ""),
                  "revision files must be UTF-8 text");
    }
    // U+0080..U+009F, the C1 controls, are C2 80..C2 9F: the code point is the second byte.
    auto second = static_cast<unsigned char>(bytes[i + 1]);
    if (c == 0xC2 && second < 0xA0) {
      refuse_text(path, bytes, i, fmt::format("character U+{:04X}", second),
                  "revision files must be text");
    }
    i += u.length;
  }
}

std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  return text;
}

}  // namespace migtest::detail
