// migtest-generate: writes a synthetic migtest history for the benchmarks.
//   migtest-generate DIR --revisions N [--tables 40] [--seed S] [--script FILE]
// --script also writes the same up sections as one plain SQL script (one BEGIN/COMMIT
// per revision), the reference the benchmarks run through sqlite3 and psql.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>

#include "generate_history.hpp"

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "migtest-generate: %s\n"
               "usage: migtest-generate DIR --revisions N [--tables 40] [--seed S] "
               "[--script FILE]\n",
               why);
  return 2;
}

bool parse_int(const std::string& text, long min, long* out) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min || v > 1000000000L) return false;
  *out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, script;
  long revisions = -1, tables = 40, seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: migtest-generate DIR --revisions N [--tables 40] [--seed S] "
          "[--script FILE]\n");
      return 0;
    } else if (a == "--revisions" || a == "--tables" || a == "--seed" || a == "--script") {
      if (i + 1 >= argc) return usage((a + " needs a value").c_str());
      const char* v = argv[++i];
      if (a == "--script") {
        script = v;
      } else {
        long* target = a == "--revisions" ? &revisions : a == "--tables" ? &tables : &seed;
        if (!parse_int(v, a == "--seed" ? 0 : 1, target))
          return usage((a + ": not a valid number: " + v).c_str());
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage(("unknown option " + a).c_str());
    } else if (dir.empty()) {
      dir = a;
    } else {
      return usage(("unexpected argument " + a).c_str());
    }
  }
  if (dir.empty()) return usage("missing DIR");
  if (revisions < 0) return usage("missing --revisions N");
  try {
    auto history = migtest::bench::generate_revisions(
        static_cast<int>(revisions), static_cast<int>(tables), static_cast<unsigned>(seed));
    migtest::bench::write_history(dir, history);
    if (!script.empty()) {
      std::ofstream f(script, std::ios::binary);
      f << migtest::bench::upgrade_script(history);
      f.close();
      if (!f) throw std::runtime_error(script + ": cannot write");
    }
    std::fprintf(stderr, "%ld revisions written to %s\n", revisions, dir.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "migtest-generate: %s\n", e.what());
    return 1;
  }
  return 0;
}
