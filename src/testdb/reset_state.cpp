// The clean state of a PostgreSQL template, kept in the cache directory so that a test process
// does not read it again: one process per test (ctest, gtest_discover_tests) is the common case,
// and reading it costs a cold server backend tens of milliseconds, more than a test's own work.
//
// Every copy of a template holds the same catalog rows, OIDs and row versions (CREATE DATABASE
// copies the files), so the state read from one copy describes them all. The file names the
// template database, its OID and the server's start time; a file naming anything else is
// ignored and written again. A file that is wrong anyway can only make copies go: reset_copy()
// compares a copy with it, and a copy that differs is dropped, never handed out.
#include <fmt/format.h>

#include <regex>
#include <sstream>

#include "migtest/error.hpp"
#include "testdb/cache.hpp"
#include "testdb/reset.hpp"

namespace migtest::detail {

namespace {

constexpr const char* kHeader = "migtest reset state 2";  // 2: the one-aggregate fingerprint

void put(std::ostream& os, const std::string& s) { os << s.size() << ':' << s << '\n'; }

std::string get(std::istream& is) {
  std::size_t n = 0;
  char colon = 0;
  if (!(is >> n) || !is.get(colon) || colon != ':' || n > (1u << 20)) {
    throw std::runtime_error("bad string");
  }
  std::string s(n, '\0');
  if (!is.read(s.data(), static_cast<std::streamsize>(n))) throw std::runtime_error("cut short");
  return s;
}

std::int64_t get_oid(std::istream& is) {
  std::int64_t oid = 0;
  if (!(is >> oid) || oid < 16384) throw std::runtime_error("bad oid");
  return oid;
}

std::size_t get_count(std::istream& is) {
  std::size_t n = 0;
  if (!(is >> n) || n > 1000000) throw std::runtime_error("bad count");
  return n;
}

// What the state puts into SQL must look as the server wrote it: a table name is two
// quote_ident() results, a sequence state "<last_value>:<is_called>". A file that says
// anything else is not used.
void check_sql_pieces(const CleanState& s) {
  static const std::regex name(
      R"re(("([^"]|"")+"|[a-z_][a-z0-9_$]*)\.("([^"]|"")+"|[a-z_][a-z0-9_$]*))re");
  static const std::regex state("-?[0-9]+:(true|false)");
  for (const auto& [oid, n] : s.table_names) {
    if (!std::regex_match(n, name)) throw std::runtime_error("bad table name");
  }
  for (const auto& st : s.sequence_states) {
    if (!std::regex_match(st, state)) throw std::runtime_error("bad sequence state");
  }
  auto named = [&](std::int64_t oid) { return s.table_names.count(oid) > 0; };
  for (auto oid : s.empty_tables) {
    if (!named(oid)) throw std::runtime_error("unnamed table");
  }
  for (auto oid : s.filled_tables) {
    if (!named(oid)) throw std::runtime_error("unnamed table");
  }
  for (auto oid : s.sequences) {
    if (!named(oid)) throw std::runtime_error("unnamed sequence");
  }
  for (const auto& [oid, refs] : s.referencing) {
    for (auto r : refs) {
      if (!named(r)) throw std::runtime_error("unnamed referencing table");
    }
  }
}

std::string serialize(const std::string& identity, const CleanState& s) {
  std::ostringstream os;
  os << kHeader << '\n';
  put(os, identity);
  put(os, s.fingerprint);
  os << s.table_names.size() << '\n';
  for (const auto& [oid, name] : s.table_names) {
    os << oid << ' ';
    put(os, name);
  }
  os << s.empty_tables.size();
  for (auto oid : s.empty_tables) os << ' ' << oid;
  os << '\n' << s.referencing.size() << '\n';
  for (const auto& [oid, refs] : s.referencing) {
    os << oid << ' ' << refs.size();
    for (auto r : refs) os << ' ' << r;
    os << '\n';
  }
  os << s.filled_tables.size() << '\n';
  for (std::size_t i = 0; i < s.filled_tables.size(); ++i) {
    os << s.filled_tables[i] << ' ';
    put(os, s.filled_checksums[i]);
  }
  os << s.sequences.size() << '\n';
  for (std::size_t i = 0; i < s.sequences.size(); ++i) {
    os << s.sequences[i] << ' ';
    put(os, s.sequence_states[i]);
  }
  return os.str();
}

// The state `text` holds for `identity`, or nullptr (another identity, or not a state).
std::shared_ptr<const CleanState> parse(const std::string& text, const std::string& identity) {
  std::istringstream is(text);
  std::string header;
  if (!std::getline(is, header) || header != kHeader || get(is) != identity) return nullptr;
  auto s = std::make_shared<CleanState>();
  s->fingerprint = get(is);
  for (std::size_t n = get_count(is); n > 0; --n) {
    const auto oid = get_oid(is);
    s->table_names[oid] = get(is);
  }
  for (std::size_t n = get_count(is); n > 0; --n) s->empty_tables.push_back(get_oid(is));
  for (std::size_t n = get_count(is); n > 0; --n) {
    auto& refs = s->referencing[get_oid(is)];
    for (std::size_t m = get_count(is); m > 0; --m) refs.push_back(get_oid(is));
  }
  for (std::size_t n = get_count(is); n > 0; --n) {
    s->filled_tables.push_back(get_oid(is));
    s->filled_checksums.push_back(get(is));
  }
  for (std::size_t n = get_count(is); n > 0; --n) {
    s->sequences.push_back(get_oid(is));
    s->sequence_states.push_back(get(is));
  }
  check_sql_pieces(*s);
  s->inspect_sql = inspect_sql(*s);
  return s;
}

}  // namespace

std::string reset_state_file(const std::string& cache_directory, const std::string& key) {
  return cache_directory + "/migtest_reset_" + key.substr(0, 16) + ".state";
}

std::string template_identity(Connection& copy, const std::string& template_database) {
  const Result r = copy.query(
      "SELECT d.oid::int8, pg_catalog.pg_postmaster_start_time()::text, "
      "coalesce(pg_catalog.inet_server_addr()::text, ''), "
      "coalesce(pg_catalog.inet_server_port(), 0) FROM pg_catalog.pg_database d WHERE "
      "d.datname = $1",
      {template_database});
  if (r.rows.empty()) throw error(fmt::format("template database {} is gone", template_database));
  const Row& row = r.rows[0];
  return fmt::format("{} oid={} server={}:{} started {}", template_database, row[0].as_int(),
                     row[2].as_text(), row[3].as_int(), row[1].as_text());
}

std::shared_ptr<const CleanState> load_reset_state(const std::string& path,
                                                   const std::string& identity) {
  try {
    auto s = parse(read_cache_file(path), identity);
    if (s) note_file_used(path);
    return s;
  } catch (const std::exception&) {
    return nullptr;  // not a state this version wrote: read again and written over
  }
}

void store_reset_state(const std::string& path, const std::string& identity,
                       const CleanState& state) {
  write_cache_file(path, serialize(identity, state));
}

}  // namespace migtest::detail
