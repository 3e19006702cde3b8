// The PostgreSQL pool of a template: databases cloned from it before tests ask for them,
// claimed with an advisory lock, reset or dropped after use, refilled in the background. Its
// whole state is on the server (the databases, their COMMENTs, the claimers' advisory
// locks), so every process and machine using the server shares it; there is no daemon.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "testdb/copy.hpp"
#include "testdb/server.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

/// "migtest_pool_<key16>_": what the name of every pool database of template `key` starts
/// with; the name ends with 8 random hex digits.
std::string pool_prefix(const std::string& key);
/// A name migtest_pool_<16 hex digits>_<8 hex digits>.
bool is_pool_name(const std::string& name);
/// The COMMENT of a pool database of template `key`: "migtest pool; key=<key>; state=<state>",
/// state "ready" (in the template's state, free to claim) or "busy" (claimed: whoever
/// claims it next after its holder died must reset it, or drop it). A ready one may end in
/// "; written=<write mark>": its write_mark() when it was given back, so that its next
/// holder need not read it (a cold query in a new server backend).
std::string pool_marker(const std::string& key, const std::string& state,
                        const std::string& written = "");
/// The state a pool database of template `key` is in, by its COMMENT: "ready", "busy", or
/// "new" (no COMMENT: a finished clone nobody claimed yet); "" when the COMMENT is not a
/// pool marker of `key`.
std::string pool_state(const std::string& comment, const std::string& key);
/// The write mark a ready pool database's COMMENT holds; "" when none (or not one).
std::string pool_written(const std::string& comment, const std::string& key);
/// The application_name of the sessions that send `what` ("clone" or "drop") for the pool of
/// template `key` without waiting: "migtest_<what>_<key16>", what pg_stat_activity shows
/// while the statement is sent, runs, and until it is done.
std::string pool_session_name(const std::string& what, const std::string& key);
/// The advisory lock key that claims the pool database `name`: a session-level lock taken on
/// the claiming process's maintenance connection, released with that connection when the
/// process dies. Everyone that drops a pool database holds this lock first.
std::int64_t pool_lock_key(const std::string& name);

struct PoolSettings {
  int size = 4;              // ready databases kept ahead of the tests
  int clones_in_flight = 2;  // clones of the template running at once, server-wide
};

/// One look at a template's pool: one catalog query.
struct PoolView {
  struct Database {
    std::string name;
    std::string state;      // pool_state()
    bool claimed = false;   // someone holds its claim lock
    bool dropping = false;  // a DROP DATABASE of it is running
  };
  std::vector<Database> databases;
  int clones_in_flight = 0;  // clones of the template sent or running, not finished yet
  int drops_in_flight = 0;   // drops of the pool's databases sent or running
  /// Databases no one holds, in the template's state ("new" or "ready").
  int ready() const;
};

/// What the server `admin` is connected to shows of template `tpl`'s pool.
PoolView look_at_pool(Connection& admin, const Template& tpl);

/// The pool of one template on one server, as this process uses it.
class Pool : public std::enable_shared_from_this<Pool> {
 public:
  /// This process's Pool for `tpl` (a PostgreSQL template).
  static std::shared_ptr<Pool> get(const std::shared_ptr<const Template>& tpl);
  explicit Pool(std::shared_ptr<const Template> tpl);

  /// A database of the pool claimed by this process, connected, in the template's state: a
  /// ready one; else one whose holder died (reset, or dropped and the next one tried); else
  /// one cloned now. When this leaves fewer than settings.size ready, clones are sent in
  /// the background first (refill()).
  std::unique_ptr<HeldCopy> claim(const PoolSettings& settings);
  /// Sends clones of the template, none waited for, until settings.size are ready or in
  /// flight, at most settings.clones_in_flight in flight server-wide (`view`: the last look;
  /// `taken`: ready ones claimed since). One process refills a pool at a time. Returns how
  /// many were sent.
  int refill(const PoolSettings& settings, const PoolView& view, int taken);
  /// Drops every database of the pool that nobody holds, now; returns their names (for
  /// tests, benchmarks and clean-ups).
  std::vector<std::string> drop_unclaimed();

  /// Back into the pool: marked ready (with its write mark, "" when unknown), claim released.
  void give_back(const std::string& name, const std::string& written);
  /// Dropped in the background; its claim is kept until it is gone, so nobody claims it.
  void drop(const std::string& name);
  /// Renamed migtest_kept_..., claim released; returns where it is.
  std::string keep(const std::string& name);

  const std::shared_ptr<const Template>& tpl() const { return tpl_; }
  Server& server() { return *server_; }

 private:
  std::unique_ptr<HeldCopy> try_claim(const PoolView::Database& db);
  std::unique_ptr<HeldCopy> clone_now();
  std::unique_ptr<HeldCopy> adopt(const std::string& name, const std::string& state,
                                  std::string written);
  bool try_lock(std::int64_t key);
  void unlock(std::int64_t key);
  void mark(const std::string& name, const std::string& state, const std::string& written = "");
  void let_go_of_dropped(const PoolView& view);

  std::shared_ptr<const Template> tpl_;
  std::shared_ptr<Server> server_;
  std::mutex mutex_;                // one claim at a time in this process
  std::set<std::string> dropping_;  // dropped by this process, claim kept until gone
};

}  // namespace migtest::detail
