// Schema value types: equality, lookup, sorting and the stable text form.
#include "migtest/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace migtest {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

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

// Sort keys: the name first, then the content, so unnamed objects still sort stably.
auto key(const UniqueConstraint& u) { return std::tie(u.name, u.columns); }
auto key(const ForeignKey& f) {
  return std::tie(f.name, f.columns, f.referred_schema, f.referred_table, f.referred_columns,
                  f.on_delete, f.on_update, f.deferrable, f.initially_deferred);
}
auto key(const CheckConstraint& c) { return std::tie(c.name, c.expression); }
auto key(const Index& i) { return std::tie(i.name, i.columns, i.unique, i.where, i.method); }
auto key(const Trigger& t) { return std::tie(t.name, t.table, t.definition); }
auto key(const Table& t) { return std::tie(t.schema, t.name); }
auto key(const View& v) { return std::tie(v.schema, v.name, v.materialized, v.definition); }
auto key(const Sequence& s) { return std::tie(s.schema, s.name); }
auto key(const Enum& e) { return std::tie(e.schema, e.name, e.values); }
auto key(const Function& f) { return std::tie(f.schema, f.signature, f.definition); }

template <class T>
void sort_by(std::vector<T>& v) {
  std::sort(v.begin(), v.end(), [](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

// ---------------------------------------------------------------------------
// Equality

bool Column::operator==(const Column& o) const {
  return name == o.name && type == o.type && nullable == o.nullable &&
         default_value == o.default_value && generated == o.generated &&
         generated_stored == o.generated_stored && identity == o.identity &&
         autoincrement == o.autoincrement && collation == o.collation && type_key == o.type_key;
}

bool ForeignKey::operator==(const ForeignKey& o) const { return key(*this) == key(o); }

bool Index::operator==(const Index& o) const { return key(*this) == key(o); }

bool Table::operator==(const Table& o) const {
  return schema == o.schema && name == o.name && columns == o.columns &&
         primary_key == o.primary_key && uniques == o.uniques && foreign_keys == o.foreign_keys &&
         checks == o.checks && indexes == o.indexes && triggers == o.triggers &&
         without_rowid == o.without_rowid && strict == o.strict;
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

const Index* Table::find_index(std::string_view index) const {
  for (const auto& i : indexes)
    if (i.name == index) return &i;
  return nullptr;
}

void Table::sort() {
  sort_by(uniques);
  sort_by(foreign_keys);
  sort_by(checks);
  sort_by(indexes);
  sort_by(triggers);
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
  sort_by(views);
  sort_by(sequences);
  sort_by(enums);
  sort_by(functions);
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
  if (c.autoincrement) out += " AUTOINCREMENT";
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  return out;
}

std::string to_string(const PrimaryKey& pk) {
  return constraint_prefix(pk.name) + "PRIMARY KEY (" + join(pk.columns) + ")";
}

std::string to_string(const UniqueConstraint& u) {
  return constraint_prefix(u.name) + "UNIQUE (" + join(u.columns) + ")";
}

std::string to_string(const ForeignKey& fk) {
  std::string out = constraint_prefix(fk.name) + "FOREIGN KEY (" + join(fk.columns) +
                    ") REFERENCES " + qualified(fk.referred_schema, fk.referred_table) + " (" +
                    join(fk.referred_columns) + ")";
  if (fk.on_delete != "NO ACTION") out += " ON DELETE " + fk.on_delete;
  if (fk.on_update != "NO ACTION") out += " ON UPDATE " + fk.on_update;
  if (fk.deferrable) out += fk.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
  return out;
}

std::string to_string(const CheckConstraint& ck) {
  return constraint_prefix(ck.name) + "CHECK (" + one_line(ck.expression) + ")";
}

std::string to_string(const Index& i) {
  std::string out = std::string(i.unique ? "UNIQUE INDEX " : "INDEX ") + i.name;
  if (!i.method.empty()) out += " USING " + i.method;
  out += " (" + join(i.columns) + ")";
  if (!i.where.empty()) out += " WHERE " + one_line(i.where);
  return out;
}

std::string to_string(const Trigger& tr) {
  return "TRIGGER " + tr.name + " ON " + tr.table + ": " + one_line(tr.definition);
}

std::string to_string(const Table& t) {
  Table sorted = t;
  sorted.sort();
  std::string out = "TABLE " + qualified(t.schema, t.name);
  if (t.without_rowid) out += " WITHOUT ROWID";
  if (t.strict) out += t.without_rowid ? ", STRICT" : " STRICT";
  out += "\n";
  for (const auto& c : sorted.columns) out += "  " + to_string(c) + "\n";
  if (sorted.primary_key) out += "  " + to_string(*sorted.primary_key) + "\n";
  for (const auto& u : sorted.uniques) out += "  " + to_string(u) + "\n";
  for (const auto& f : sorted.foreign_keys) out += "  " + to_string(f) + "\n";
  for (const auto& c : sorted.checks) out += "  " + to_string(c) + "\n";
  for (const auto& i : sorted.indexes) out += "  " + to_string(i) + "\n";
  for (const auto& tr : sorted.triggers) out += "  " + to_string(tr) + "\n";
  return out;
}

std::string to_string(const View& v) {
  std::string out =
      std::string(v.materialized ? "MATERIALIZED VIEW " : "VIEW ") + qualified(v.schema, v.name);
  if (!v.columns.empty()) out += " (" + join(v.columns) + ")";
  return out + " AS " + one_line(v.definition);
}

std::string to_string(const Sequence& s) {
  std::string out = fmt::format("SEQUENCE {} {} START {} INCREMENT {}", qualified(s.schema, s.name),
                                s.type, s.start, s.increment);
  if (!s.owned_by.empty()) out += " OWNED BY " + s.owned_by;
  return out;
}

std::string to_string(const Enum& e) {
  std::string out = "ENUM " + qualified(e.schema, e.name) + " (";
  for (std::size_t i = 0; i < e.values.size(); ++i)
    out += (i ? ", '" : "'") + e.values[i] + "'";
  return out + ")";
}

std::string to_string(const Function& f) {
  std::string out = "FUNCTION " + qualified(f.schema, f.signature);
  if (!f.definition.empty()) out += ": " + one_line(f.definition);
  return out;
}

std::string to_string(const Schema& s) {
  Schema sorted = s;
  sorted.sort();
  std::string out = "-- dialect: " + (s.dialect.empty() ? std::string("(none)") : s.dialect) + "\n";
  for (const auto& e : sorted.enums) out += to_string(e) + "\n";
  for (const auto& q : sorted.sequences) out += to_string(q) + "\n";
  for (const auto& t : sorted.tables) out += to_string(t);
  for (const auto& v : sorted.views) out += to_string(v) + "\n";
  for (const auto& f : sorted.functions) out += to_string(f) + "\n";
  return out;
}

void PrintTo(const Column& c, std::ostream* os) { *os << to_string(c); }
void PrintTo(const PrimaryKey& pk, std::ostream* os) { *os << to_string(pk); }
void PrintTo(const UniqueConstraint& u, std::ostream* os) { *os << to_string(u); }
void PrintTo(const ForeignKey& fk, std::ostream* os) { *os << to_string(fk); }
void PrintTo(const CheckConstraint& ck, std::ostream* os) { *os << to_string(ck); }
void PrintTo(const Index& i, std::ostream* os) { *os << to_string(i); }
void PrintTo(const Trigger& tr, std::ostream* os) { *os << to_string(tr); }
void PrintTo(const Table& t, std::ostream* os) { *os << "\n" << to_string(t); }
void PrintTo(const View& v, std::ostream* os) { *os << to_string(v); }
void PrintTo(const Sequence& s, std::ostream* os) { *os << to_string(s); }
void PrintTo(const Enum& e, std::ostream* os) { *os << to_string(e); }
void PrintTo(const Function& f, std::ostream* os) { *os << to_string(f); }
void PrintTo(const Schema& s, std::ostream* os) { *os << "\n" << to_string(s); }

std::ostream& operator<<(std::ostream& os, const Column& c) { return os << to_string(c); }
std::ostream& operator<<(std::ostream& os, const Table& t) { return os << to_string(t); }
std::ostream& operator<<(std::ostream& os, const Schema& s) { return os << to_string(s); }

}  // namespace migtest
