// Schema value types: equality, lookup, sorting and the stable text form.
#include "migtest/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "migtest/format.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

using detail::join;

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

// Definitions (views, triggers, functions) span lines; the text form keeps one
// object per line, so runs of whitespace print as one space.
std::string one_line(const std::string& s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

std::string constraint_prefix(const std::string& name) {
  return name.empty() ? std::string() : "CONSTRAINT " + name + " ";
}

// ' COMMENT '<text>'' (quotes doubled), or "" when there is none.
std::string comment_suffix(const std::string& comment) {
  if (comment.empty()) return "";
  std::string out = " COMMENT '";
  for (char ch : comment) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

std::string include_suffix(const std::vector<std::string>& include) {
  return include.empty() ? std::string() : " INCLUDE (" + join(include) + ")";
}

std::string deferrable_suffix(bool deferrable, bool initially_deferred) {
  if (!deferrable) return "";
  return initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
}

// What a table is besides its columns and constraints: " WITHOUT ROWID, STRICT", " UNLOGGED",
// " PARTITION BY RANGE (a)", " PARTITION OF t FOR VALUES ...".
std::string table_options(const Table& t) {
  std::string out;
  if (t.without_rowid) out += " WITHOUT ROWID";
  if (t.strict) out += t.without_rowid ? ", STRICT" : " STRICT";
  if (t.unlogged) out += " UNLOGGED";
  if (!t.partition_of.empty()) out += " PARTITION OF " + t.partition_of + " " + t.partition_bound;
  if (!t.partition_by.empty()) out += " PARTITION BY " + t.partition_by;
  return out;
}

// Sort keys: the name first, then the content, so unnamed objects still sort stably.
auto key(const PrimaryKey& p) {
  return std::tie(p.name, p.columns, p.include, p.deferrable, p.initially_deferred, p.comment);
}
auto key(const UniqueConstraint& u) {
  return std::tie(u.name, u.columns, u.include, u.nulls_not_distinct, u.deferrable,
                  u.initially_deferred, u.comment);
}
auto key(const ForeignKey& f) {
  return std::tie(f.name, f.columns, f.referred_schema, f.referred_table, f.referred_columns,
                  f.on_delete, f.on_update, f.deferrable, f.initially_deferred, f.match,
                  f.not_valid, f.comment);
}
auto key(const CheckConstraint& c) {
  return std::tie(c.name, c.expression, c.not_valid, c.no_inherit, c.comment);
}
auto key(const ExclusionConstraint& x) { return std::tie(x.name, x.definition, x.comment); }
auto key(const Index& i) {
  return std::tie(i.name, i.columns, i.unique, i.where, i.method, i.include, i.nulls_not_distinct,
                  i.comment);
}
auto key(const Trigger& t) { return std::tie(t.name, t.table, t.definition, t.comment); }
auto key(const Table& t) { return std::tie(t.schema, t.name); }
auto key(const View& v) { return std::tie(v.schema, v.name, v.materialized, v.definition); }
auto key(const Sequence& s) { return std::tie(s.schema, s.name); }
auto key(const Enum& e) { return std::tie(e.schema, e.name, e.values); }
auto key(const Function& f) { return std::tie(f.schema, f.signature, f.definition); }

template <class T>
bool by_key(const T& a, const T& b) {
  return key(a) < key(b);
}
template <class T>
void sort_by(std::vector<T>& v) {
  std::sort(v.begin(), v.end(), by_key<T>);
}
template <class T>
bool sorted_by(const std::vector<T>& v) {
  return std::is_sorted(v.begin(), v.end(), by_key<T>);
}

}  // namespace

// ---------------------------------------------------------------------------
// Equality

bool Column::operator==(const Column& o) const {
  return name == o.name && type == o.type && nullable == o.nullable &&
         default_value == o.default_value && generated == o.generated &&
         generated_stored == o.generated_stored && identity == o.identity &&
         autoincrement == o.autoincrement && collation == o.collation && type_key == o.type_key &&
         comment == o.comment && identity_options == o.identity_options;
}

bool PrimaryKey::operator==(const PrimaryKey& o) const { return key(*this) == key(o); }

bool UniqueConstraint::operator==(const UniqueConstraint& o) const { return key(*this) == key(o); }

bool ForeignKey::operator==(const ForeignKey& o) const { return key(*this) == key(o); }

bool CheckConstraint::operator==(const CheckConstraint& o) const { return key(*this) == key(o); }

bool Index::operator==(const Index& o) const { return key(*this) == key(o); }

bool Table::operator==(const Table& o) const {
  return schema == o.schema && name == o.name && columns == o.columns &&
         primary_key == o.primary_key && uniques == o.uniques && foreign_keys == o.foreign_keys &&
         checks == o.checks && indexes == o.indexes && triggers == o.triggers &&
         without_rowid == o.without_rowid && strict == o.strict && comment == o.comment &&
         exclusions == o.exclusions && partition_by == o.partition_by &&
         partition_of == o.partition_of && partition_bound == o.partition_bound &&
         unlogged == o.unlogged;
}

bool Schema::operator==(const Schema& o) const {
  return dialect == o.dialect && tables == o.tables && views == o.views &&
         sequences == o.sequences && enums == o.enums && functions == o.functions;
}

// ---------------------------------------------------------------------------
// Lookup and sorting

const Column* Table::find_column(std::string_view column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

Column* Table::find_column(std::string_view column) {
  for (auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const Index* Table::find_index(std::string_view index_name) const {
  for (const auto& i : indexes)
    if (i.name == index_name) return &i;
  return nullptr;
}

void Table::sort() {
  sort_by(uniques);
  sort_by(foreign_keys);
  sort_by(checks);
  sort_by(indexes);
  sort_by(triggers);
  sort_by(exclusions);
}

bool Table::is_sorted() const {
  return sorted_by(uniques) && sorted_by(foreign_keys) && sorted_by(checks) && sorted_by(indexes) &&
         sorted_by(triggers) && sorted_by(exclusions);
}

const Table* Schema::find_table(std::string_view table, std::string_view schema_name) const {
  for (const auto& t : tables)
    if (t.name == table && t.schema == schema_name) return &t;
  return nullptr;
}

Table* Schema::find_table(std::string_view table, std::string_view schema_name) {
  for (auto& t : tables)
    if (t.name == table && t.schema == schema_name) return &t;
  return nullptr;
}

const View* Schema::find_view(std::string_view view, std::string_view schema_name) const {
  for (const auto& v : views)
    if (v.name == view && v.schema == schema_name) return &v;
  return nullptr;
}

void Schema::sort() {
  for (auto& t : tables) t.sort();
  sort_by(tables);
  for (auto& v : views) sort_by(v.indexes);
  sort_by(views);
  sort_by(sequences);
  sort_by(enums);
  sort_by(functions);
}

bool Schema::is_sorted() const {
  return std::all_of(tables.begin(), tables.end(), [](const Table& t) { return t.is_sorted(); }) &&
         std::all_of(views.begin(), views.end(),
                     [](const View& v) { return sorted_by(v.indexes); }) &&
         sorted_by(tables) && sorted_by(views) && sorted_by(sequences) && sorted_by(enums) &&
         sorted_by(functions);
}

// ---------------------------------------------------------------------------
// Text

std::string to_string(const Column& c) {
  std::string out = c.name + " " + (c.type.empty() ? std::string("(no type)") : c.type);
  out += c.nullable ? " NULL" : " NOT NULL";
  if (c.default_value) out += " DEFAULT " + *c.default_value;
  if (c.generated)
    out += fmt::format(" GENERATED ALWAYS AS ({}) {}", *c.generated,
                       c.generated_stored ? "STORED" : "VIRTUAL");
  if (!c.identity.empty()) {
    std::string upper = c.identity == "always" ? "ALWAYS" : "BY DEFAULT";
    out += " GENERATED " + upper + " AS IDENTITY";
  }
  if (!c.identity_options.empty()) out += " (" + c.identity_options + ")";
  if (c.autoincrement) out += " AUTOINCREMENT";
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  return out + comment_suffix(c.comment);
}

std::string to_string(const PrimaryKey& pk) {
  return constraint_prefix(pk.name) + "PRIMARY KEY (" + join(pk.columns) + ")" +
         include_suffix(pk.include) + deferrable_suffix(pk.deferrable, pk.initially_deferred) +
         comment_suffix(pk.comment);
}

std::string to_string(const UniqueConstraint& u) {
  return constraint_prefix(u.name) + "UNIQUE " +
         (u.nulls_not_distinct ? "NULLS NOT DISTINCT " : "") + "(" + join(u.columns) + ")" +
         include_suffix(u.include) + deferrable_suffix(u.deferrable, u.initially_deferred) +
         comment_suffix(u.comment);
}

std::string to_string(const ForeignKey& fk) {
  std::string out = constraint_prefix(fk.name) + "FOREIGN KEY (" + join(fk.columns) +
                    ") REFERENCES " + qualified(fk.referred_schema, fk.referred_table) + " (" +
                    join(fk.referred_columns) + ")";
  if (fk.on_delete != "NO ACTION") out += " ON DELETE " + fk.on_delete;
  if (fk.on_update != "NO ACTION") out += " ON UPDATE " + fk.on_update;
  if (!fk.match.empty()) out += " MATCH " + fk.match;
  out += deferrable_suffix(fk.deferrable, fk.initially_deferred);
  if (fk.not_valid) out += " NOT VALID";
  return out + comment_suffix(fk.comment);
}

std::string to_string(const CheckConstraint& ck) {
  return constraint_prefix(ck.name) + "CHECK (" + one_line(ck.expression) + ")" +
         (ck.no_inherit ? " NO INHERIT" : "") + (ck.not_valid ? " NOT VALID" : "") +
         comment_suffix(ck.comment);
}

std::string to_string(const ExclusionConstraint& x) {
  return constraint_prefix(x.name) + one_line(x.definition) + comment_suffix(x.comment);
}

std::string to_string(const Index& i) {
  std::string out = std::string(i.unique ? "UNIQUE INDEX " : "INDEX ") + i.name;
  if (!i.method.empty()) out += " USING " + i.method;
  out += " (" + join(i.columns) + ")" + include_suffix(i.include);
  if (i.nulls_not_distinct) out += " NULLS NOT DISTINCT";
  if (!i.where.empty()) out += " WHERE " + one_line(i.where);
  return out + comment_suffix(i.comment);
}

std::string to_string(const Trigger& tr) {
  return "TRIGGER " + tr.name + " ON " + tr.table + ": " + one_line(tr.definition) +
         comment_suffix(tr.comment);
}

std::string to_string(const Table& t) {
  Table sorted = t;
  sorted.sort();
  std::string out = "TABLE " + qualified(t.schema, t.name) + table_options(t);
  out += comment_suffix(t.comment) + "\n";
  for (const auto& c : sorted.columns) out += "  " + to_string(c) + "\n";
  if (sorted.primary_key) out += "  " + to_string(*sorted.primary_key) + "\n";
  for (const auto& u : sorted.uniques) out += "  " + to_string(u) + "\n";
  for (const auto& f : sorted.foreign_keys) out += "  " + to_string(f) + "\n";
  for (const auto& c : sorted.checks) out += "  " + to_string(c) + "\n";
  for (const auto& x : sorted.exclusions) out += "  " + to_string(x) + "\n";
  for (const auto& i : sorted.indexes) out += "  " + to_string(i) + "\n";
  for (const auto& tr : sorted.triggers) out += "  " + to_string(tr) + "\n";
  return out;
}

std::string to_string(const View& v) {
  std::string out =
      std::string(v.materialized ? "MATERIALIZED VIEW " : "VIEW ") + qualified(v.schema, v.name);
  if (!v.columns.empty()) out += " (" + join(v.columns) + ")";
  out += " AS " + one_line(v.definition) + comment_suffix(v.comment);
  for (const auto& i : v.indexes) out += "; " + to_string(i);
  return out;
}

std::string to_string(const Sequence& s) {
  std::string out = fmt::format("SEQUENCE {} {} START {} INCREMENT {}", qualified(s.schema, s.name),
                                s.type, s.start, s.increment);
  if (!s.options.empty()) out += " " + s.options;
  if (!s.owned_by.empty()) out += " OWNED BY " + s.owned_by;
  return out + comment_suffix(s.comment);
}

std::string to_string(const Enum& e) {
  std::string out = "ENUM " + qualified(e.schema, e.name) + " (";
  for (std::size_t i = 0; i < e.values.size(); ++i) out += (i ? ", '" : "'") + e.values[i] + "'";
  return out + ")" + comment_suffix(e.comment);
}

std::string to_string(const Function& f) {
  std::string out = "FUNCTION " + qualified(f.schema, f.signature);
  out += comment_suffix(f.comment);
  if (!f.definition.empty()) out += ": " + one_line(f.definition);
  return out;
}

std::string to_string(const Schema& s) {
  Schema sorted = s;
  sorted.sort();
  std::string out =
      "-- dialect: " + (s.dialect ? to_string(*s.dialect) : std::string("(none)")) + "\n";
  for (const auto& e : sorted.enums) out += to_string(e) + "\n";
  for (const auto& q : sorted.sequences) out += to_string(q) + "\n";
  for (const auto& t : sorted.tables) out += to_string(t);
  for (const auto& v : sorted.views) out += to_string(v) + "\n";
  for (const auto& f : sorted.functions) out += to_string(f) + "\n";
  return out;
}

std::ostream& operator<<(std::ostream& os, const Column& c) { return os << fmt::format("{}", c); }
std::ostream& operator<<(std::ostream& os, const Table& t) { return os << fmt::format("{}", t); }
std::ostream& operator<<(std::ostream& os, const Schema& s) { return os << fmt::format("{}", s); }

}  // namespace migtest
