// compare(): two canonical schemas into Differences, each change exactly once; render().
#include "migtest/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "diff/line_diff.hpp"
#include "migtest/format.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

using K = Difference::Kind;

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

using detail::join;

bool ignored(const CompareOptions& options, const std::string& schema, const std::string& name) {
  std::string q = qualified(schema, name);
  return std::any_of(options.ignore_tables.begin(), options.ignore_tables.end(),
                     [&](const std::string& p) { return glob_match(p, name) || glob_match(p, q); });
}

// A column's attributes without its name and comment (reported on their own); the default
// left out when defaults are not compared, so a line never shows a difference that was not
// reported.
std::string column_text(const Column& c, bool with_default) {
  Column copy = c;
  copy.name.clear();
  copy.comment.clear();
  if (!with_default) copy.default_value.reset();
  return to_string(copy).substr(1);
}

// A comment as its SQL literal, "" for none (describe() then says "absent").
std::string comment_text(const std::string& comment) {
  if (comment.empty()) return "";
  std::string out = "'";
  for (char ch : comment) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

// " UNLOGGED PARTITION BY RANGE (a)", "" for a plain table: the PostgreSQL table options.
std::string pg_table_options(const Table& t) {
  std::string out;
  if (t.unlogged) out += " UNLOGGED";
  if (!t.partition_of.empty()) out += " PARTITION OF " + t.partition_of + " " + t.partition_bound;
  if (!t.partition_by.empty()) out += " PARTITION BY " + t.partition_by;
  return out.empty() ? "plain table" : out.substr(1);
}

template <class T>
T without_comment(T x) {
  x.comment.clear();
  return x;
}

std::string table_text(const Table& t) {
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  return "TABLE " + qualified(t.schema, t.name) + " (" + join(names) + ")";
}

// A type is compared by what it means where the dialect says so (Column::type_key: SQLite
// treats INT and BIGINT, or VARCHAR(50) and TEXT, alike), else by its canonical text.
bool type_differs(const Column& a, const Column& e) {
  if (!a.type_key.empty() || !e.type_key.empty()) return a.type_key != e.type_key;
  return a.type != e.type;
}

// The two sides of a column's difference as printed.
std::pair<std::string, std::string> column_texts(const Column& a, const Column& e, bool defaults) {
  std::pair<std::string, std::string> out{column_text(a, defaults), column_text(e, defaults)};
  if (a.type == e.type && a.type_key != e.type_key) {
    // One declared text, two meanings (ANY in a STRICT table and in another): say which.
    out.first += " [" + a.type_key + "]";
    out.second += " [" + e.type_key + "]";
  }
  return out;
}

class Comparer {
 public:
  explicit Comparer(const CompareOptions& options) : opt_(options) {}

  std::vector<Difference> run(const Schema& actual_in, const Schema& expected_in) {
    // Sorted sides: the result must not depend on the order either side listed things in.
    // A side that is sorted already (reflect() and expected_schema() sort theirs) is used as
    // it is: copying both was most of the time of a comparison.
    std::optional<Schema> actual_copy, expected_copy;
    actual_ = &sorted(actual_in, actual_copy);
    expected_ = &sorted(expected_in, expected_copy);
    compare_tables();
    compare_views();
    compare_sequences();
    compare_enums();
    compare_functions();
    return std::move(out_);
  }

 private:
  static const Schema& sorted(const Schema& s, std::optional<Schema>& copy) {
    if (s.is_sorted()) return s;
    copy = s;
    copy->sort();
    return *copy;
  }

  // `a` and `e` are the two sides as schema objects (std::monostate where absent); the
  // difference is in the table compare_table() or compare_views() is at, if any.
  void add(K kind, std::string table, std::string object, std::string actual, std::string expected,
           SchemaObject a = {}, SchemaObject e = {}) {
    Difference d{kind, std::move(table), std::move(object), std::move(actual), std::move(expected)};
    d.actual_object = std::move(a);
    d.expected_object = std::move(e);
    if (!d.table.empty()) {
      d.table_schema = table_schema_;
      d.table_name = table_name_;
    }
    out_.push_back(std::move(d));
  }

  // The side of a difference an optional object gives.
  template <class T>
  static SchemaObject side(const std::optional<T>& x) {
    return x ? SchemaObject(*x) : SchemaObject();
  }

  bool names_match(const std::string& actual, const std::string& expected) const {
    if (opt_.strict_names) return actual == expected;
    return expected.empty() || actual == expected;
  }

  // Comments follow the rule of names: the models declare none, so a comment is compared
  // where the expected side has one, or always between two databases (strict_names).
  // `x` and `y` carry the comments (copied only when they differ: most don't).
  template <class T>
  void compare_comment(const std::string& table, const std::string& object, const T& x,
                       const T& y) {
    if (x.comment == y.comment || (!opt_.strict_names && y.comment.empty())) return;
    add(K::comment_changed, table, object, comment_text(x.comment), comment_text(y.comment), x, y);
  }

  // --- tables -------------------------------------------------------------

  void compare_tables() {
    std::map<std::pair<std::string, std::string>, std::pair<const Table*, const Table*>> all;
    for (const auto& t : actual_->tables)
      if (!ignored(opt_, t.schema, t.name)) all[{t.schema, t.name}].first = &t;
    for (const auto& t : expected_->tables)
      if (!ignored(opt_, t.schema, t.name)) all[{t.schema, t.name}].second = &t;
    for (const auto& [key, pair] : all) {
      auto [a, e] = pair;
      std::string q = qualified(key.first, key.second);
      table_schema_ = key.first;
      table_name_ = key.second;
      if (!e)
        add(K::table_removed, q, "", table_text(*a), "", *a);
      else if (!a)
        add(K::table_added, q, "", "", table_text(*e), {}, *e);
      else
        compare_table(q, *a, *e);
    }
  }

  void compare_table(const std::string& q, const Table& a, const Table& e) {
    if (a.without_rowid != e.without_rowid)
      add(K::table_option_changed, q, "", a.without_rowid ? "WITHOUT ROWID" : "rowid table",
          e.without_rowid ? "WITHOUT ROWID" : "rowid table", a, e);
    if (a.strict != e.strict)
      add(K::table_option_changed, q, "", a.strict ? "STRICT" : "not STRICT",
          e.strict ? "STRICT" : "not STRICT", a, e);
    if (pg_table_options(a) != pg_table_options(e))
      add(K::table_option_changed, q, "", pg_table_options(a), pg_table_options(e), a, e);
    compare_comment(q, "", a, e);
    compare_columns(q, a, e);
    compare_primary_key(q, a, e);
    match_constraints<UniqueConstraint>(
        q, a.uniques, e.uniques, {K::unique_added, K::unique_removed, K::unique_changed},
        [](const UniqueConstraint& x, const UniqueConstraint& y) {
          return x.columns == y.columns && x.include == y.include &&
                 x.nulls_not_distinct == y.nulls_not_distinct && x.deferrable == y.deferrable &&
                 x.initially_deferred == y.initially_deferred;
        },
        nullptr);
    match_constraints<ForeignKey>(
        q, a.foreign_keys, e.foreign_keys,
        {K::foreign_key_added, K::foreign_key_removed, K::foreign_key_changed},
        [](const ForeignKey& x, const ForeignKey& y) {
          ForeignKey x2 = x;
          x2.name = y.name;
          x2.comment = y.comment;
          return x2 == y;
        },
        // A foreign key is identified by its columns and target even when unnamed, so a
        // changed ON DELETE is one change, not a removal and an addition.
        [](const ForeignKey& x, const ForeignKey& y) {
          return x.columns == y.columns && x.referred_schema == y.referred_schema &&
                 x.referred_table == y.referred_table;
        });
    match_constraints<CheckConstraint>(
        q, a.checks, e.checks, {K::check_added, K::check_removed, K::check_changed},
        [](const CheckConstraint& x, const CheckConstraint& y) {
          return x.expression == y.expression && x.not_valid == y.not_valid &&
                 x.no_inherit == y.no_inherit;
        },
        nullptr);
    match_constraints<ExclusionConstraint>(
        q, a.exclusions, e.exclusions,
        {K::exclusion_added, K::exclusion_removed, K::exclusion_changed},
        [](const ExclusionConstraint& x, const ExclusionConstraint& y) {
          return x.definition == y.definition;
        },
        nullptr);
    compare_indexes(q, a.indexes, e.indexes);
    compare_triggers(q, a, e);
  }

  void compare_columns(const std::string& q, const Table& a, const Table& e) {
    bool defaults = opt_.compare_defaults;
    for (const auto& ec : e.columns) {
      const Column* ac = a.find_column(ec.name);
      if (!ac) {
        add(K::column_added, q, ec.name, "", column_text(ec, defaults), {}, ec);
        continue;
      }
      // The texts are written only for a column that differs: most columns don't, and
      // writing them was a third of compare()'s time on a 1,000-table schema.
      std::optional<std::pair<std::string, std::string>> texts;
      auto changed = [&](K kind) {
        if (!texts) texts = column_texts(*ac, ec, defaults);
        add(kind, q, ec.name, texts->first, texts->second, *ac, ec);
      };
      if (type_differs(*ac, ec)) changed(K::type_changed);
      if (ac->nullable != ec.nullable) changed(K::nullable_changed);
      if (defaults && ac->default_value != ec.default_value) changed(K::default_changed);
      if (ac->generated != ec.generated ||
          (ac->generated && ac->generated_stored != ec.generated_stored))
        changed(K::generated_changed);
      if (ac->identity != ec.identity || ac->identity_options != ec.identity_options)
        changed(K::identity_changed);
      if (ac->autoincrement != ec.autoincrement) changed(K::autoincrement_changed);
      if (ac->collation != ec.collation) changed(K::collation_changed);
      compare_comment(q, "column " + ec.name, *ac, ec);
    }
    for (const auto& ac : a.columns)
      if (!e.find_column(ac.name))
        add(K::column_removed, q, ac.name, column_text(ac, defaults), "", ac);

    if (opt_.compare_column_order) {
      std::vector<std::string> ao, eo;
      for (const auto& c : a.columns)
        if (e.find_column(c.name)) ao.push_back(c.name);
      for (const auto& c : e.columns)
        if (a.find_column(c.name)) eo.push_back(c.name);
      if (ao != eo) add(K::column_order_changed, q, "", join(ao), join(eo), a, e);
    }
  }

  void compare_primary_key(const std::string& q, const Table& a, const Table& e) {
    const auto& ap = a.primary_key;
    const auto& ep = e.primary_key;
    if (!ap && !ep) return;
    bool same = ap && ep && ap->columns == ep->columns && ap->include == ep->include &&
                ap->deferrable == ep->deferrable &&
                ap->initially_deferred == ep->initially_deferred;
    // An unnamed primary key matches any name: SQLite never names one.
    if (same && !ap->name.empty() && !ep->name.empty() && ap->name != ep->name) same = false;
    if (same && opt_.strict_names && ap->name != ep->name) same = false;
    std::string object = ep && !ep->name.empty() ? ep->name : ap ? ap->name : "";
    if (same) {
      compare_comment(q, "constraint " + object, *ap, *ep);
      return;
    }
    add(K::primary_key_changed, q, object, ap ? to_string(*ap) : "", ep ? to_string(*ep) : "",
        side(ap), side(ep));
  }

  struct Kinds {
    K added, removed, changed;
  };

  // Matches constraints by content, comparing names only as names_match() allows, then
  // pairs the rest into single "changed" differences where they are one object: same
  // name, same content under another name, or (foreign keys) same columns and target.
  template <class T>
  void match_constraints(const std::string& q, const std::vector<T>& actual,
                         const std::vector<T>& expected, Kinds kinds,
                         std::function<bool(const T&, const T&)> same_content,
                         std::function<bool(const T&, const T&)> same_identity) {
    std::vector<int> pair_of(expected.size(), -1);  // index into actual
    std::vector<bool> taken(actual.size(), false);
    std::vector<bool> changed(expected.size(), false);
    auto pass = [&](auto accept, bool is_change) {
      for (std::size_t i = 0; i < expected.size(); ++i) {
        if (pair_of[i] >= 0) continue;
        for (std::size_t j = 0; j < actual.size(); ++j) {
          if (taken[j] || !accept(actual[j], expected[i])) continue;
          pair_of[i] = static_cast<int>(j);
          taken[j] = true;
          changed[i] = is_change;
          break;
        }
      }
    };
    // Exact names first, so an unnamed expected constraint cannot take a named one's match.
    pass([&](const T& x, const T& y) { return same_content(x, y) && x.name == y.name; }, false);
    pass([&](const T& x, const T& y) { return same_content(x, y) && names_match(x.name, y.name); },
         false);
    pass([&](const T& x, const T& y) { return !y.name.empty() && x.name == y.name; }, true);
    pass([&](const T& x, const T& y) { return same_content(x, y); }, true);
    if (same_identity) pass(same_identity, true);

    for (std::size_t i = 0; i < expected.size(); ++i) {
      const T& y = expected[i];
      if (pair_of[i] < 0) {
        add(kinds.added, q, y.name, "", to_string(y), {}, y);
        continue;
      }
      const T& x = actual[static_cast<std::size_t>(pair_of[i])];
      if (changed[i]) {
        add(kinds.changed, q, y.name.empty() ? x.name : y.name, to_string(x), to_string(y), x, y);
      } else {
        compare_comment(q, "constraint " + (y.name.empty() ? x.name : y.name), x, y);
      }
    }
    for (std::size_t j = 0; j < actual.size(); ++j)
      if (!taken[j]) add(kinds.removed, q, actual[j].name, to_string(actual[j]), "", actual[j]);
  }

  static bool same_index_content(const Index& x, const Index& y) {
    return x.columns == y.columns && x.unique == y.unique && x.where == y.where &&
           x.method == y.method && x.include == y.include &&
           x.nulls_not_distinct == y.nulls_not_distinct;
  }

  // Indexes always have a name in both dialects and migrations drop them by name, so
  // names are always compared; a renamed index is one index_changed. `q` is the table or
  // materialized view they are on.
  void compare_indexes(const std::string& q, const std::vector<Index>& a,
                       const std::vector<Index>& e) {
    std::vector<bool> taken(a.size(), false);
    std::vector<const Index*> unmatched;
    for (const auto& y : e) {
      bool found = false;
      for (std::size_t j = 0; j < a.size(); ++j) {
        if (taken[j] || a[j].name != y.name) continue;
        taken[j] = true;
        found = true;
        if (!same_index_content(a[j], y))
          add(K::index_changed, q, y.name, to_string(a[j]), to_string(y), a[j], y);
        else
          compare_comment(q, "index " + y.name, a[j], y);
        break;
      }
      if (!found) unmatched.push_back(&y);
    }
    for (const Index* y : unmatched) {
      bool renamed = false;
      for (std::size_t j = 0; j < a.size(); ++j) {
        if (taken[j] || !same_index_content(a[j], *y)) continue;
        taken[j] = true;
        renamed = true;
        add(K::index_changed, q, y->name, to_string(a[j]), to_string(*y), a[j], *y);
        break;
      }
      if (!renamed) add(K::index_added, q, y->name, "", to_string(*y), {}, *y);
    }
    for (std::size_t j = 0; j < a.size(); ++j)
      if (!taken[j]) add(K::index_removed, q, a[j].name, to_string(a[j]), "", a[j]);
  }

  void compare_triggers(const std::string& q, const Table& a, const Table& e) {
    for (const auto& y : e.triggers) {
      auto it = std::find_if(a.triggers.begin(), a.triggers.end(),
                             [&](const Trigger& x) { return x.name == y.name; });
      if (it == a.triggers.end())
        add(K::trigger_added, q, y.name, "", to_string(y), {}, y);
      else if (without_comment(*it) != without_comment(y))
        add(K::trigger_changed, q, y.name, to_string(*it), to_string(y), *it, y);
      else
        compare_comment(q, "trigger " + y.name, *it, y);
    }
    for (const auto& x : a.triggers)
      if (std::none_of(e.triggers.begin(), e.triggers.end(),
                       [&](const Trigger& y) { return x.name == y.name; }))
        add(K::trigger_removed, q, x.name, to_string(x), "", x);
  }

  // --- other objects --------------------------------------------------------

  // Pairs objects of both sides by key, in key order, and reports each once; a change of
  // comment alone is a comment_changed on "<noun> <name>".
  template <class T, class KeyFn, class Skip>
  void compare_objects(const std::vector<T>& actual, const std::vector<T>& expected, KeyFn key,
                       Skip skip, K added, K removed, K changed, const char* noun) {
    std::map<std::pair<std::string, std::string>, std::pair<const T*, const T*>> all;
    for (const auto& x : actual)
      if (!skip(x, true)) all[key(x)].first = &x;
    for (const auto& y : expected)
      if (!skip(y, false)) all[key(y)].second = &y;
    for (const auto& [k, pair] : all) {
      auto [x, y] = pair;
      std::string object = qualified(k.first, k.second);
      if (!y)
        add(removed, "", object, to_string(*x), "", *x);
      else if (!x)
        add(added, "", object, "", to_string(*y), {}, *y);
      else if (same_object(*x, *y))
        compare_comment("", std::string(noun) + " " + object, *x, *y);
      else
        add(changed, "", object, to_string(*x), to_string(*y), *x, *y);
    }
  }

  template <class T>
  static bool same_object(const T& x, const T& y) {
    return without_comment(x) == without_comment(y);
  }
  // A view's indexes are compared one by one (compare_views).
  static bool same_object(const View& x, const View& y) {
    return x.definition == y.definition && x.materialized == y.materialized &&
           x.columns == y.columns;
  }

  void compare_views() {
    compare_objects(
        actual_->views, expected_->views,
        [](const View& v) { return std::make_pair(v.schema, v.name); },
        [&](const View& v, bool) { return ignored(opt_, v.schema, v.name); }, K::view_added,
        K::view_removed, K::view_changed, "view");
    for (const auto& y : expected_->views) {
      const View* x = actual_->find_view(y.name, y.schema);
      if (x && !ignored(opt_, y.schema, y.name)) {
        table_schema_ = y.schema;
        table_name_ = y.name;
        compare_indexes(qualified(y.schema, y.name), x->indexes, y.indexes);
      }
    }
  }

  // A sequence owned by a column (serial, identity) goes with it: when the column or its
  // table is added, removed or ignored, the sequence is not reported again.
  bool owner_accounted_for(const Sequence& s, bool on_actual_side) const {
    if (s.owned_by.empty()) return false;
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    for (;;) {
      auto dot = s.owned_by.find('.', start);
      parts.push_back(s.owned_by.substr(start, dot == std::string::npos ? dot : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (parts.size() < 2) return false;
    std::string column = parts.back();
    std::string table = parts[parts.size() - 2];
    std::string schema = parts.size() >= 3 ? parts[parts.size() - 3] : s.schema;
    if (ignored(opt_, schema, table)) return true;
    const Schema& other = on_actual_side ? *expected_ : *actual_;
    const Schema& self = on_actual_side ? *actual_ : *expected_;
    const Table* mine = self.find_table(table, schema);
    if (!mine || !mine->find_column(column)) return false;
    const Table* theirs = other.find_table(table, schema);
    if (!theirs || !theirs->find_column(column)) {
      // Reported as a table or column change; only skip when the other side lacks the
      // sequence too (a sequence left behind on its own is still reported).
      return std::none_of(other.sequences.begin(), other.sequences.end(), [&](const Sequence& o) {
        return o.schema == s.schema && o.name == s.name;
      });
    }
    return false;
  }

  void compare_sequences() {
    compare_objects(
        actual_->sequences, expected_->sequences,
        [](const Sequence& s) { return std::make_pair(s.schema, s.name); },
        [&](const Sequence& s, bool on_actual) { return owner_accounted_for(s, on_actual); },
        K::sequence_added, K::sequence_removed, K::sequence_changed, "sequence");
  }

  void compare_enums() {
    compare_objects(
        actual_->enums, expected_->enums,
        [](const Enum& e) { return std::make_pair(e.schema, e.name); },
        [](const Enum&, bool) { return false; }, K::enum_added, K::enum_removed, K::enum_changed,
        "enum");
  }

  void compare_functions() {
    compare_objects(
        actual_->functions, expected_->functions,
        [](const Function& f) { return std::make_pair(f.schema, f.signature); },
        [](const Function&, bool) { return false; }, K::function_added, K::function_removed,
        K::function_changed, "function");
  }

  const CompareOptions& opt_;
  const Schema* actual_ = nullptr;
  const Schema* expected_ = nullptr;
  std::string table_schema_, table_name_;  // the table (or view) being compared
  std::vector<Difference> out_;
};

// "comment on table post", "comment on column post.title", "comment on index ix_a on post",
// "comment on view v".
std::string comment_subject(const Difference& d) {
  if (d.table.empty()) return "comment on " + d.object;
  if (d.object.empty()) return "comment on table " + d.table;
  if (d.object.rfind("column ", 0) == 0)
    return "comment on column " + d.table + "." + d.object.substr(7);
  return fmt::format("comment on {} on {}", d.object, d.table);
}

// What a difference is about, for describe(): "column user.karma", "index ix_a on post".
std::string subject(const Difference& d) {
  auto on = [&](const char* noun) {
    return d.object.empty() ? fmt::format("{} on {}", noun, d.table)
                            : fmt::format("{} {} on {}", noun, d.object, d.table);
  };
  switch (d.kind) {
    case K::table_added:
    case K::table_removed:
    case K::table_option_changed:
      return "table " + d.table;
    case K::column_added:
    case K::column_removed:
    case K::type_changed:
    case K::nullable_changed:
    case K::default_changed:
    case K::generated_changed:
    case K::identity_changed:
    case K::autoincrement_changed:
    case K::collation_changed:
      return fmt::format("column {}.{}", d.table, d.object);
    case K::column_order_changed:
      return "column order of " + d.table;
    case K::primary_key_changed:
      return "primary key of " + d.table;
    case K::unique_added:
    case K::unique_removed:
    case K::unique_changed:
      return on("unique constraint");
    case K::index_added:
    case K::index_removed:
    case K::index_changed:
      return on("index");
    case K::foreign_key_added:
    case K::foreign_key_removed:
    case K::foreign_key_changed:
      return on("foreign key");
    case K::check_added:
    case K::check_removed:
    case K::check_changed:
      return on("check");
    case K::trigger_added:
    case K::trigger_removed:
    case K::trigger_changed:
      return on("trigger");
    case K::view_added:
    case K::view_removed:
    case K::view_changed:
      return "view " + d.object;
    case K::sequence_added:
    case K::sequence_removed:
    case K::sequence_changed:
      return "sequence " + d.object;
    case K::enum_added:
    case K::enum_removed:
    case K::enum_changed:
      return "enum " + d.object;
    case K::function_added:
    case K::function_removed:
    case K::function_changed:
      return "function " + d.object;
    case K::exclusion_added:
    case K::exclusion_removed:
    case K::exclusion_changed:
      return on("exclusion constraint");
    case K::comment_changed:
      return comment_subject(d);
  }
  return d.object;
}

}  // namespace

std::string_view to_string(Difference::Kind kind) {
  switch (kind) {
#define MIGTEST_KIND(k) \
  case K::k:            \
    return #k;
    MIGTEST_KIND(table_added)
    MIGTEST_KIND(table_removed)
    MIGTEST_KIND(table_option_changed)
    MIGTEST_KIND(column_added)
    MIGTEST_KIND(column_removed)
    MIGTEST_KIND(type_changed)
    MIGTEST_KIND(nullable_changed)
    MIGTEST_KIND(default_changed)
    MIGTEST_KIND(generated_changed)
    MIGTEST_KIND(identity_changed)
    MIGTEST_KIND(autoincrement_changed)
    MIGTEST_KIND(collation_changed)
    MIGTEST_KIND(column_order_changed)
    MIGTEST_KIND(primary_key_changed)
    MIGTEST_KIND(unique_added)
    MIGTEST_KIND(unique_removed)
    MIGTEST_KIND(unique_changed)
    MIGTEST_KIND(index_added)
    MIGTEST_KIND(index_removed)
    MIGTEST_KIND(index_changed)
    MIGTEST_KIND(foreign_key_added)
    MIGTEST_KIND(foreign_key_removed)
    MIGTEST_KIND(foreign_key_changed)
    MIGTEST_KIND(check_added)
    MIGTEST_KIND(check_removed)
    MIGTEST_KIND(check_changed)
    MIGTEST_KIND(trigger_added)
    MIGTEST_KIND(trigger_removed)
    MIGTEST_KIND(trigger_changed)
    MIGTEST_KIND(view_added)
    MIGTEST_KIND(view_removed)
    MIGTEST_KIND(view_changed)
    MIGTEST_KIND(sequence_added)
    MIGTEST_KIND(sequence_removed)
    MIGTEST_KIND(sequence_changed)
    MIGTEST_KIND(enum_added)
    MIGTEST_KIND(enum_removed)
    MIGTEST_KIND(enum_changed)
    MIGTEST_KIND(function_added)
    MIGTEST_KIND(function_removed)
    MIGTEST_KIND(function_changed)
    MIGTEST_KIND(comment_changed)
    MIGTEST_KIND(exclusion_added)
    MIGTEST_KIND(exclusion_removed)
    MIGTEST_KIND(exclusion_changed)
#undef MIGTEST_KIND
  }
  return "unknown";
}

std::string Difference::describe(std::string_view actual_label,
                                 std::string_view expected_label) const {
  auto side = [](std::string_view label, const std::string& text) {
    return fmt::format("{} {}", label, text.empty() ? std::string("absent") : text);
  };
  return fmt::format("{}: {}, {}", subject(*this), side(actual_label, actual),
                     side(expected_label, expected));
}

std::vector<Difference> compare(const Schema& actual, const Schema& expected,
                                const CompareOptions& options) {
  return Comparer(options).run(actual, expected);
}

std::string render(const std::vector<Difference>& differences, const CompareOptions& options) {
  // Group by table in order of first appearance; compare() already emits them grouped,
  // but callers may concatenate or filter lists.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& d : differences) {
    auto it = lines.find(d.table);
    if (it == lines.end()) {
      order.push_back(d.table);
      it = lines.emplace(d.table, std::vector<std::string>{}).first;
    }
    std::string line;
    for (const auto& l : detail::difference_lines(d, options.actual_label, options.expected_label))
      line += (line.empty() ? "" : "\n") + l;
    if (std::find(it->second.begin(), it->second.end(), line) == it->second.end())
      it->second.push_back(std::move(line));
  }
  std::string out;
  for (const auto& table : order)
    for (const auto& line : lines[table]) out += line + "\n";
  return out;
}

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matcher with one backtrack point (the last '*'): linear in practice.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::ostream& operator<<(std::ostream& os, const Difference& d) {
  return os << fmt::format("{}", d);
}

}  // namespace migtest
