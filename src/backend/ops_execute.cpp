// What an Operations does with each operation: check it against the live schema, render it
// for the connection's dialect and run it (or, offline, render it and hand it to a sink).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "backend/dialect_rules.hpp"
#include "backend/postgres/ops_render.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/ops_render.hpp"
#include "backend/sqlite/rebuild.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/operations.hpp"
#include "migtest/ops.hpp"

namespace migtest {

namespace {

bool is_ddl(const ops::Operation& op) { return !std::holds_alternative<ops::BulkInsert>(op); }

std::string op_schema(const ops::Operation& op) {
  return std::visit(
      [](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, ops::CreateTable>)
          return o.table.schema;
        else if constexpr (std::is_same_v<T, ops::Execute>)
          return "";
        else
          return o.schema;
      },
      op);
}

// The table an operation is on; "" for raw SQL.
std::string op_table(const ops::Operation& op) {
  return std::visit(
      [](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, ops::CreateTable>)
          return o.table.name;
        else if constexpr (std::is_same_v<T, ops::Execute>)
          return "";
        else
          return o.table;
      },
      op);
}

// Operations whose SQLite rendering may be a rebuild of an existing table: the others
// (raw SQL, rows, whole tables) end a batch's pending rebuilds.
bool may_rebuild(const ops::Operation& op) {
  return !std::holds_alternative<ops::Execute>(op) &&
         !std::holds_alternative<ops::BulkInsert>(op) &&
         !std::holds_alternative<ops::CreateTable>(op) &&
         !std::holds_alternative<ops::DropTable>(op) &&
         !std::holds_alternative<ops::RenameTable>(op);
}

// Runs operations on a connection: the live database, or (offline, SQLite) an in-memory
// shadow that keeps the schema the rendered SQL builds, so checks and rebuilds see it.
class ExecutingBackend : public OperationsBackend {
 public:
  ExecutingBackend(Connection& c, StatementSink sink, bool offline,
                   std::unique_ptr<Connection> owned = nullptr)
      : owned_(std::move(owned)),
        c_(c),
        sink_(std::move(sink)),
        offline_(offline),
        rules_(detail::dialect_object(c.dialect())) {}

  Dialect dialect() const override { return rules_.dialect(); }
  Connection* connection() override { return offline_ ? nullptr : &c_; }

  void apply(const ops::Operation& op) override {
    for (const ops::Operation& part : detail::sqlite::split_operation(op)) apply_one(part);
  }
  void execute(std::string_view sql, const Params& params) override {
    apply(ops::Execute{std::string(sql), params});
  }
  void begin_batch() override { ++batch_depth_; }
  void end_batch(BatchEnd how) override {
    if (batch_depth_ == 0 || --batch_depth_ > 0) return;
    if (how == BatchEnd::abandon) pending_.clear();
    try {
      flush_all();
    } catch (...) {
      pending_.clear();  // the batch failed: nothing of it is made later
      throw;
    }
  }

 private:
  // Batch mode where ALTERs rebuild tables (SQLite): folds `op` into its table's pending
  // rebuild when that is all it renders to (true); otherwise makes the rebuilds it must see
  // first, and it runs as usual.
  bool defer(const ops::Operation& op) {
    if (batch_depth_ == 0 || !rules_.rebuilds_tables()) return false;
    if (!may_rebuild(op)) {
      flush_all();
      return false;
    }
    Schema seen = schema(op);  // the live schema as the pending rebuilds will leave it
    for (const auto& p : pending_)
      for (auto& t : seen.tables)
        if (detail::sqlite::same_name(t.name, p.desired.name)) t = detail::sqlite::rebuilt_table(p);
    ops::check(op, seen);
    std::vector<detail::sqlite::Action> actions = detail::sqlite::render_operation(op, seen);
    if (actions.size() != 1 || !actions.front().rebuild) {
      // Plain statements need their table as it is (drop_index may name none: all of them).
      std::string table = op_table(op);
      if (table.empty())
        flush_all();
      else
        flush(table);
      return false;
    }
    detail::sqlite::Rebuild& r = *actions.front().rebuild;
    auto it = find_pending(r.desired.name);
    if (it == pending_.end())
      pending_.push_back(std::move(r));
    else
      *it = detail::sqlite::merge_rebuilds(*it, r);
    return true;
  }

  std::vector<detail::sqlite::Rebuild>::iterator find_pending(const std::string& table) {
    return std::find_if(pending_.begin(), pending_.end(), [&](const detail::sqlite::Rebuild& r) {
      return detail::sqlite::same_name(r.desired.name, table);
    });
  }

  void flush_all() {
    while (!pending_.empty()) flush(pending_.front().desired.name);
  }

  // Makes the pending rebuild of `table`, if any, after those of the tables it refers to (its
  // foreign key check needs their keys as the batch leaves them).
  void flush(const std::string& table) {
    auto it = find_pending(table);
    if (it == pending_.end()) return;
    detail::sqlite::Rebuild r = std::move(*it);
    pending_.erase(it);
    for (const auto& fk : r.desired.foreign_keys) flush(fk.referred_table);
    schema_.reset();
    detail::sqlite::run_rebuild(c_, r, sink_);
  }

  const Schema& schema(const ops::Operation& op) {
    std::string s = op_schema(op);
    if (!s.empty() && s != "public" && schemas_.insert(s).second) schema_.reset();
    if (!schema_) {
      ReflectOptions options;
      if (!schemas_.empty()) {
        options.schemas.push_back("public");
        options.schemas.insert(options.schemas.end(), schemas_.begin(), schemas_.end());
      }
      schema_ = reflect(c_, options);
    }
    return *schema_;
  }

  void emit(const std::string& sql, const Params& params) {
    if (!sink_) return;
    if (offline_ && !params.empty())
      sink_(inline_parameters(sql, params, rules_.dialect()), {});
    else
      sink_(sql, params);
  }

  void apply_one(const ops::Operation& op) {
    if (std::holds_alternative<ops::Execute>(op)) {
      // Raw SQL is not checked (it may create what later operations use); the schema is
      // read again afterwards.
      const auto& e = std::get<ops::Execute>(op);
      defer(op);  // in a batch, the SQL sees every table as the operations before it left it
      emit(e.sql, e.params);
      schema_.reset();
      c_.execute(e.sql, e.params);
      return;
    }
    if (defer(op)) return;
    const Schema& live = schema(op);
    ops::check(op, live);
    // A DDL operation leaves the schema read stale, whether it runs through or fails; `live`
    // is that schema, so it is forgotten only once the operation is done with it.
    struct Forget {
      std::optional<Schema>& schema;
      bool stale;
      ~Forget() {
        if (stale) schema.reset();
      }
    } forget{schema_, is_ddl(op)};
    rules_.run_operation(
        c_, op, live, [&](const std::string& sql, const Params& params) { emit(sql, params); },
        sink_);
  }

  std::unique_ptr<Connection> owned_;
  Connection& c_;
  StatementSink sink_;
  bool offline_;
  const detail::DialectRules& rules_;
  std::optional<Schema> schema_;
  std::set<std::string> schemas_;
  int batch_depth_ = 0;
  std::vector<detail::sqlite::Rebuild> pending_;  // batch mode: one per table, in first-use order
};

// PostgreSQL offline: nothing to check against; each operation is rendered on its own.
class RenderingBackend : public OperationsBackend {
 public:
  RenderingBackend(Dialect dialect, StatementSink sink)
      : dialect_(dialect), sink_(std::move(sink)) {}
  Dialect dialect() const override { return dialect_; }
  Connection* connection() override { return nullptr; }
  void execute(std::string_view sql, const Params& params) override {
    apply(ops::Execute{std::string(sql), params});
  }
  void apply(const ops::Operation& op) override {
    for (const ops::Operation& part : detail::sqlite::split_operation(op)) {
      for (const auto& s : detail::pg::render_operation(part, nullptr)) {
        if (sink_)
          sink_(s.params.empty() ? s.sql : inline_parameters(s.sql, s.params, dialect_), {});
      }
    }
  }

 private:
  Dialect dialect_;
  StatementSink sink_;
};

}  // namespace

std::string inline_parameters(std::string_view sql, const Params& params, Dialect dialect) {
  const detail::DialectRules& rules = detail::dialect_object(dialect);
  auto literal = [&](const Value& v) { return rules.literal(v); };
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (quote) {
      out += ch;
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t j = i + 1;
      std::size_t n = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])))
        n = n * 10 + static_cast<std::size_t>(sql[j++] - '0');
      if (n >= 1 && n <= params.size()) {
        out += literal(params[n - 1]);
        i = j - 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

Operations::Operations(Connection& connection)
    : backend_(std::make_unique<ExecutingBackend>(connection, StatementSink{}, false)) {}

Operations::Operations(Connection& connection, StatementSink sink)
    : backend_(std::make_unique<ExecutingBackend>(connection, std::move(sink), false)) {}

Operations Operations::offline(Dialect dialect, StatementSink sink, Connection* shadow) {
  if (detail::dialect_object(dialect).checks_offline()) {
    if (shadow)
      return Operations(std::make_unique<ExecutingBackend>(*shadow, std::move(sink), true));
    std::unique_ptr<Connection> own = connect("sqlite:///:memory:");
    own->execute("PRAGMA foreign_keys = OFF");
    Connection& ref = *own;
    return Operations(
        std::make_unique<ExecutingBackend>(ref, std::move(sink), true, std::move(own)));
  }
  return Operations(std::make_unique<RenderingBackend>(dialect, std::move(sink)));
}

}  // namespace migtest
