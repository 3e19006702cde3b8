#include "testdb/history_stamp.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <ctime>
#include <vector>

#include "migtest/source.hpp"
#include "migtest/version.hpp"
#include "source/sha256.hpp"
#include "testdb/cache.hpp"

namespace migtest::detail {

namespace {

namespace fs = boost::filesystem;

constexpr const char* kHeader = "migtest history stamp 1";
constexpr int kMaxDepth = 3;  // directory/revision/file is as deep as any layout goes

std::int64_t ns(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Every entry under `dir` but hidden ones (the loader reads none of those), one line each
// with what changes when its content may have; `newest` gets the latest of their times.
// False when an entry cannot be examined: the loader will say why.
bool describe(const std::string& dir, const std::string& rel, int depth, std::string& out,
              std::int64_t& newest) {
  boost::system::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') names.push_back(name);
  }
  if (ec) return false;
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    out += fmt::format("{}{}\t{:o}\t{}\t{}\t{}\t{}\n", rel, name, st.st_mode, st.st_size, st.st_ino,
                       ns(st.st_mtim), ns(st.st_ctim));
    newest = std::max({newest, ns(st.st_mtim), ns(st.st_ctim)});
    if (S_ISDIR(st.st_mode) &&
        (depth >= kMaxDepth || !describe(path, rel + name + "/", depth + 1, out, newest))) {
      return false;
    }
  }
  return true;
}

std::string absolute(const std::string& directory) {
  return fs::absolute(directory).lexically_normal().string();
}

// The first lines of a stamp: what it is, who wrote it, for which directory in which state.
std::optional<std::string> stamp_head(const std::string& directory, std::int64_t& newest) {
  std::string listing;
  newest = 0;
  if (!describe(directory, "", 1, listing, newest)) return std::nullopt;
  return fmt::format("{}\n{}\n{}\n{}\n", kHeader, version(), absolute(directory),
                     sha256_hex(listing));
}

bool is_hash(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string history_stamp_file(const std::string& directory, const std::string& cache_directory) {
  return cache_directory + "/migtest_history_" + sha256_hex(absolute(directory)).substr(0, 16) +
         ".stamp";
}

std::optional<std::string> stamped_history_hash(const std::string& directory,
                                                const std::string& cache_directory) {
  try {
    const std::string path = history_stamp_file(directory, cache_directory);
    const std::string bytes = read_cache_file(path);
    if (bytes.empty()) return std::nullopt;
    std::int64_t newest = 0;
    const auto head = stamp_head(directory, newest);
    if (!head || bytes.compare(0, head->size(), *head) != 0) return std::nullopt;
    std::string hash = bytes.substr(head->size());
    if (!hash.empty() && hash.back() == '\n') hash.pop_back();
    if (!is_hash(hash)) return std::nullopt;
    note_file_used(path);
    return hash;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void stamp_history(const std::string& directory, const std::string& cache_directory,
                   const std::string& content_hash) {
  try {
    std::int64_t newest = 0;
    const auto head = stamp_head(directory, newest);
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    if (!head || newest > ns(now) - 2000000000 || !is_hash(content_hash)) return;
    write_cache_file(history_stamp_file(directory, cache_directory), *head + content_hash + "\n");
  } catch (const std::exception&) {
    // No stamp: the next process loads the history, as this one did.
  }
}

}  // namespace migtest::detail
