// The PostgreSQL pool of a template. Who may do what:
//   - claim a database: whoever takes its claim lock (pg_try_advisory_lock(pool_lock_key)) on
//     its maintenance connection; it then marks the database busy before using it;
//   - give it back: its claimer, after a reset, marks it ready and releases the lock;
//   - drop it: only a claimer (the DROP is sent in the background; the claim is held until
//     the database is gone, or the claimer's process ends);
//   - a database marked busy whose claim is free was held by a process that died: the next
//     claimer resets it (the same check as after a test) or drops it.
// A clone is sent and forgotten: CREATE DATABASE commits the database with no COMMENT, and
// no COMMENT means a new clone, in the template's state (nobody has claimed it yet).
#include "testdb/pool.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <regex>

#include "backend/backend.hpp"  // advisory_key, drop_database
#include "migtest/error.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/fault.hpp"
#include "testdb/forget.hpp"
#include "testdb/owner.hpp"
#include "testdb/reset.hpp"

namespace migtest::detail {

std::string pool_prefix(const std::string& key) {
  return "migtest_pool_" + key.substr(0, 16) + "_";
}

bool is_pool_name(const std::string& name) {
  static const std::regex re("^migtest_pool_[0-9a-f]{16}_[0-9a-f]{8}$");
  return std::regex_match(name, re);
}

std::string pool_marker(const std::string& key, const std::string& state,
                        const std::string& written) {
  return fmt::format("migtest pool; key={}; state={}{}", key, state,
                     written.empty() ? "" : "; written=" + written);
}

namespace {
// The write mark after "written=" in a ready database's COMMENT; "" when there is none or it
// holds anything a write mark does not (the next test's reset then inspects the copy).
std::string written_in(const std::string& comment, const std::string& key) {
  const std::string prefix = pool_marker(key, "ready") + "; written=";
  if (comment.compare(0, prefix.size(), prefix) != 0) return "";
  const std::string mark = comment.substr(prefix.size());
  static const std::regex re("^[0-9:, ]*\\|[0-9:,]*$");
  return std::regex_match(mark, re) ? mark : "";
}
}  // namespace

std::string pool_state(const std::string& comment, const std::string& key) {
  if (comment.empty()) return "new";
  for (const char* state : {"ready", "busy"}) {
    if (comment == pool_marker(key, state)) return state;
  }
  if (!written_in(comment, key).empty()) return "ready";
  return "";
}

std::string pool_written(const std::string& comment, const std::string& key) {
  return written_in(comment, key);
}

std::string pool_session_name(const std::string& what, const std::string& key) {
  return "migtest_" + what + "_" + key.substr(0, 16);
}

std::int64_t pool_lock_key(const std::string& name) { return advisory_key("migtest pool " + name); }

int PoolView::ready() const {
  return static_cast<int>(std::count_if(databases.begin(), databases.end(), [](const Database& d) {
    return !d.claimed && !d.dropping && (d.state == "new" || d.state == "ready");
  }));
}

namespace {

// The pool's databases with their COMMENT and whether a DROP holds them, the advisory locks
// taken in the maintenance database (pg_locks shows a bigint key's halves as classid and
// objid), the clones of the template in flight (sessions named for them, from before the
// statement is sent until it is done; or running a copy, which holds a ShareLock on the
// template) and the drops in flight (sessions named for them).
constexpr const char* kLook = R"(
SELECT 'd', d.datname::text, coalesce(pg_catalog.shobj_description(d.oid, 'pg_database'), ''),
       EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = 'object'
                  AND l.classid = 'pg_catalog.pg_database'::pg_catalog.regclass
                  AND l.objid = d.oid AND l.mode = 'AccessExclusiveLock')
  FROM pg_catalog.pg_database d WHERE d.datname LIKE $1
UNION ALL
SELECT 'l', l.classid::text, l.objid::text, false FROM pg_catalog.pg_locks l
 WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
   AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
UNION ALL
SELECT 'f', count(*) FILTER (WHERE a.application_name = $3 OR EXISTS (
           SELECT 1 FROM pg_catalog.pg_locks l WHERE l.pid = a.pid AND l.locktype = 'object'
              AND l.classid = 'pg_catalog.pg_database'::pg_catalog.regclass
              AND l.mode = 'ShareLock'
              AND l.objid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = $2)))::text,
       count(*) FILTER (WHERE a.application_name = $4)::text, false
  FROM pg_catalog.pg_stat_activity a)";

// A LIKE pattern matching exactly the names that start with `prefix`.
std::string like_prefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '_' || c == '%' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

PoolView look_at_pool(Connection& admin, const Template& tpl) {
  PoolView view;
  std::set<std::int64_t> locked;
  const Params params{like_prefix(pool_prefix(tpl.key)), tpl.database,
                      pool_session_name("clone", tpl.key), pool_session_name("drop", tpl.key)};
  for (const Row& r : admin.query(kLook, params).rows) {
    const std::string kind = r[0].as_text();
    if (kind == "d") {
      if (!is_pool_name(r[1].as_text())) continue;
      view.databases.push_back(
          {r[1].as_text(), pool_state(r[2].as_text(), tpl.key), false, r[3].as_bool()});
    } else if (kind == "l") {
      locked.insert(static_cast<std::int64_t>((std::stoull(r[1].as_text()) << 32) |
                                              std::stoull(r[2].as_text())));
    } else {
      view.clones_in_flight = std::stoi(r[1].as_text());
      view.drops_in_flight = std::stoi(r[2].as_text());
    }
  }
  for (auto& d : view.databases) d.claimed = locked.count(pool_lock_key(d.name)) > 0;
  return view;
}

// ---- a claimed pool database -------------------------------------------------------------

namespace {

class PoolCopy final : public HeldCopy {
 public:
  PoolCopy(std::shared_ptr<Pool> pool, std::string name, std::unique_ptr<Connection> conn,
           std::shared_ptr<const CleanState> clean, std::string written)
      : HeldCopy(pool->tpl()),
        pool_(std::move(pool)),
        name_(std::move(name)),
        url_(pool_->server().url_for(name_)) {
    clean_ = std::move(clean);
    adopt(std::move(conn));
    if (clean_) know_writes(std::move(written));
  }
  ~PoolCopy() override {
    if (done_) return;
    try {
      discard();
    } catch (const std::exception& e) {
      std::cerr << "migtest: could not drop pool database " << name_ << ": " << e.what() << "\n";
    }
  }

  const std::string& url() const override { return url_; }
  const std::string& name() const override { return name_; }

  bool restore() override { return reset_postgres(); }
  void give_back() override {
    close();
    done_ = true;
    pool_->give_back(name_, write_mark_now());
  }
  void discard() override {
    close();
    done_ = true;
    pool_->drop(name_);
  }
  std::string keep() override {
    unseal();
    close();
    std::string where = pool_->keep(name_);
    done_ = true;
    return where;
  }

 protected:
  std::unique_ptr<Connection> open() const override { return migtest::connect(url_); }

 private:
  std::shared_ptr<Pool> pool_;
  std::string name_, url_;
  bool done_ = false;
};

struct Pools {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<Pool>> by_key;
};
Pools& pools() {
  static Pools p;
  return p;
}

// The statements that mark a database: committed without waiting for the WAL to reach disk.
// That is safe both ways: a test's own commits come later in the WAL, so a crash that loses a
// busy mark lost the test's writes too; a lost ready mark only makes the next claimer check.
std::string marking_sql(const std::string& name, const std::string& marker) {
  return "BEGIN; SET LOCAL synchronous_commit = off; COMMENT ON DATABASE " + quote_ident(name) +
         " IS " + quote_literal(marker) + "; COMMIT";
}

}  // namespace

// ---- Pool ---------------------------------------------------------------------------------

std::shared_ptr<Pool> Pool::get(const std::shared_ptr<const Template>& tpl) {
  auto& p = pools();
  std::lock_guard<std::mutex> lock(p.mutex);
  auto& pool = p.by_key[tpl->server_url + "|" + tpl->key];
  if (!pool) pool = std::make_shared<Pool>(tpl);
  return pool;
}

Pool::Pool(std::shared_ptr<const Template> tpl)
    : tpl_(std::move(tpl)), server_(Server::get(tpl_->server_url)) {}

bool Pool::try_lock(std::int64_t key) {
  std::lock_guard<std::mutex> lock(server_->mutex);
  return server_->admin()
      .query("SELECT pg_catalog.pg_try_advisory_lock($1)", {static_cast<long long>(key)})
      .rows.at(0)[0]
      .as_bool();
}

void Pool::unlock(std::int64_t key) {
  std::lock_guard<std::mutex> lock(server_->mutex);
  server_->admin().query("SELECT pg_catalog.pg_advisory_unlock($1)", {static_cast<long long>(key)});
}

void Pool::mark(const std::string& name, const std::string& state, const std::string& written) {
  std::lock_guard<std::mutex> lock(server_->mutex);
  server_->admin().execute_script(marking_sql(name, pool_marker(tpl_->key, state, written)));
}

void Pool::let_go_of_dropped(const PoolView& view) {
  for (auto it = dropping_.begin(); it != dropping_.end();) {
    const bool gone = std::none_of(view.databases.begin(), view.databases.end(),
                                   [&](const PoolView::Database& d) { return d.name == *it; });
    if (!gone) {
      ++it;
      continue;
    }
    unlock(pool_lock_key(*it));
    it = dropping_.erase(it);
  }
}

std::unique_ptr<HeldCopy> Pool::claim(const PoolSettings& settings) {
  std::lock_guard<std::mutex> guard(mutex_);
  PoolView view;
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    view = look_at_pool(server_->admin(), *tpl_);
  }
  let_go_of_dropped(view);
  // Ready ones first, in random order (claimers on other machines start from elsewhere);
  // those a dead process held after them.
  std::vector<const PoolView::Database*> order;
  for (const auto& d : view.databases) {
    if (!d.claimed && !d.dropping && !d.state.empty()) order.push_back(&d);
  }
  static thread_local std::mt19937 random(std::random_device{}() ^
                                          static_cast<unsigned>(::getpid()));
  std::shuffle(order.begin(), order.end(), random);
  std::stable_partition(order.begin(), order.end(),
                        [](const PoolView::Database* d) { return d->state != "busy"; });
  int taken = 0;
  for (const auto* d : order) {
    if (d->state != "busy") ++taken;
    if (auto copy = try_claim(*d)) {
      refill(settings, view, taken);
      return copy;
    }
  }
  refill(settings, view, taken);
  return clone_now();
}

std::unique_ptr<HeldCopy> Pool::try_claim(const PoolView::Database& db) {
  const std::int64_t key = pool_lock_key(db.name);
  if (!try_lock(key)) return nullptr;
  // Read again under the claim: the look was taken before it.
  std::optional<std::string> comment;
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    comment = server_->comment(db.name);
  }
  const std::string state = comment ? pool_state(*comment, tpl_->key) : "";
  if (state.empty()) {  // gone meanwhile
    unlock(key);
    return nullptr;
  }
  return adopt(db.name, state, comment ? pool_written(*comment, tpl_->key) : "");
}

// A database this process now holds the claim of, in `state`: marked busy, connected, and
// (when a dead process left it busy) reset; nullptr when it had to be dropped instead.
std::unique_ptr<HeldCopy> Pool::adopt(const std::string& name, const std::string& state,
                                      std::string written) {
  std::unique_ptr<Connection> conn;
  std::shared_ptr<const CleanState> clean;
  try {
    if (state != "busy") mark(name, "busy");
    conn = migtest::connect(server_->url_for(name));
    if (state == "busy") {
      clean = known_clean_state(*tpl_, *conn);
      ResetResult r;
      if (clean) r = reset_copy(*conn, *clean);
      written = r.mark;
      if (!r.reset) {  // a dirty copy this process cannot compare: not worth the risk
        conn.reset();
        drop(name);
        return nullptr;
      }
      conn = migtest::connect(server_->url_for(name));  // a new session for the new test
    } else {
      try {
        clean = clean_state(*tpl_, *conn);
      } catch (const std::exception&) {
        // An old server: the copy is dropped after its test instead of reset.
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest: pool database " << name << " is unusable (" << redact(e.what())
              << "); dropping it\n";
    conn.reset();
    drop(name);
    return nullptr;
  }
  return std::make_unique<PoolCopy>(shared_from_this(), name, std::move(conn), std::move(clean),
                                    std::move(written));
}

std::unique_ptr<HeldCopy> Pool::clone_now() {
  const std::string name = pool_prefix(tpl_->key) + random_hex8();
  const std::int64_t key = pool_lock_key(name);
  if (!try_lock(key)) throw error(fmt::format("cannot claim the new pool database {}", name));
  try {
    std::lock_guard<std::mutex> lock(server_->mutex);
    server_->admin().execute("CREATE DATABASE " + quote_ident(name) + " TEMPLATE " +
                             quote_ident(tpl_->database));
  } catch (...) {
    unlock(key);
    throw;
  }
  // Killed here, it is a new clone nobody holds: the next claimer takes it as it is.
  kill_point("database-created");
  auto copy = adopt(name, "new", "");
  if (!copy) throw error(fmt::format("the new pool database {} is unusable", name));
  return copy;
}

int Pool::refill(const PoolSettings& settings, const PoolView& view, int taken) {
  const int ready = std::max(0, view.ready() - taken);
  if (ready + view.clones_in_flight >= settings.size) return 0;
  if (view.clones_in_flight >= settings.clones_in_flight) return 0;
  // One refiller at a time: who holds this lock is sending clones; the count of clones in
  // flight is read again under it, so that the next refiller sees the last one's.
  const std::int64_t refill_key = advisory_key("migtest pool refill " + tpl_->key);
  if (!try_lock(refill_key)) return 0;
  int sent = 0;
  try {
    PoolView now;
    {
      std::lock_guard<std::mutex> lock(server_->mutex);
      now = look_at_pool(server_->admin(), *tpl_);
    }
    const int want = settings.size - now.ready() - now.clones_in_flight;
    const int room = settings.clones_in_flight - now.clones_in_flight;
    for (int i = 0; i < std::min(want, room); ++i) {
      const std::string name = pool_prefix(tpl_->key) + random_hex8();
      if (!send_and_forget(
              server_->url(),
              "CREATE DATABASE " + quote_ident(name) + " TEMPLATE " + quote_ident(tpl_->database),
              "", pool_session_name("clone", tpl_->key))) {
        break;
      }
      ++sent;
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not refill the pool of " << tpl_->database << ": "
              << redact(e.what()) << "\n";
  }
  unlock(refill_key);
  return sent;
}

void Pool::give_back(const std::string& name, const std::string& written) {
  mark(name, "ready", written);
  unlock(pool_lock_key(name));
}

void Pool::drop(const std::string& name) {
  bool force = false;
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    force = std::atoi(server_->admin().server_version().c_str()) >= 13;
  }
  const std::string q = quote_ident(name);
  const std::string session = pool_session_name("drop", tpl_->key);
  const bool sent =
      force ? send_and_forget(server_->url(), "DROP DATABASE IF EXISTS " + q + " WITH (FORCE)", "",
                              session)
            : send_and_forget(server_->url(), "DROP DATABASE IF EXISTS " + q,
                              "SELECT pg_catalog.pg_terminate_backend(pid) FROM "
                              "pg_catalog.pg_stat_activity WHERE datname = " +
                                  quote_literal(name),
                              session);
  if (sent) {
    dropping_.insert(name);
    return;
  }
  // No connection to spare for the background: drop it now.
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    server_->drop_database(name);
  }
  unlock(pool_lock_key(name));
}

std::string Pool::keep(const std::string& name) {
  const std::string kept = "migtest_kept_" + name.substr(8);
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    server_->rename_database(name, kept);
    server_->set_comment(
        kept, fmt::format("migtest kept database; host={}; pid={}", host_name(), ::getpid()));
  }
  unlock(pool_lock_key(name));
  return fmt::format("{} (DROP DATABASE {} when done)", redact(server_->url_for(kept)),
                     quote_ident(kept));
}

std::vector<std::string> Pool::drop_unclaimed() {
  std::lock_guard<std::mutex> guard(mutex_);
  PoolView view;
  {
    std::lock_guard<std::mutex> lock(server_->mutex);
    view = look_at_pool(server_->admin(), *tpl_);
  }
  std::vector<std::string> dropped;
  for (const auto& d : view.databases) {
    if (d.claimed || d.dropping || !try_lock(pool_lock_key(d.name))) continue;
    {
      std::lock_guard<std::mutex> lock(server_->mutex);
      server_->drop_database(d.name);
    }
    unlock(pool_lock_key(d.name));
    dropped.push_back(d.name);
  }
  return dropped;
}

}  // namespace migtest::detail
