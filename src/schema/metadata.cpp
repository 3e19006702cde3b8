// The Metadata builder and its validation.
#include "migtest/metadata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "migtest/error.hpp"
#include "migtest/format.hpp"
#include "schema/fold_column.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    auto dot = s.find('.', start);
    parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// "schema.name" -> {schema, name}; "name" -> {"", name}.
std::pair<std::string, std::string> split_qualified(const std::string& s) {
  auto dot = s.find('.');
  if (dot == std::string::npos) return {"", s};
  return {s.substr(0, dot), s.substr(dot + 1)};
}

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

using detail::join;

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto first = static_cast<unsigned char>(s[0]);
  if (!(std::isalpha(first) || first == '_' || first >= 0x80)) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
  });
}

}  // namespace

// ---------------------------------------------------------------------------
// Type

Type::Type(const Enum& e)
    : kind(Kind::enumeration), enum_schema(e.schema), enum_name(e.name), enum_values(e.values) {}

Type::Type(const Blob&) : kind(Kind::blob) {}

std::optional<std::string> Type::raw_for(Dialect dialect) const {
  auto it = raw.find(to_string(dialect));
  if (it == raw.end()) return std::nullopt;
  return it->second;
}

bool Type::operator==(const Type& o) const {
  return kind == o.kind && length == o.length && precision == o.precision && scale == o.scale &&
         timezone == o.timezone && enum_schema == o.enum_schema && enum_name == o.enum_name &&
         enum_values == o.enum_values && raw == o.raw;
}

std::string to_string(const Type& t) {
  using K = Type::Kind;
  switch (t.kind) {
    case K::integer:
      return "Integer";
    case K::big_integer:
      return "BigInteger";
    case K::small_integer:
      return "SmallInteger";
    case K::boolean:
      return "Boolean";
    case K::string:
      return t.length ? fmt::format("String({})", *t.length) : "String";
    case K::text:
      return "Text";
    case K::float32:
      return "Float";
    case K::float64:
      return "Double";
    case K::numeric:
      if (t.precision && t.scale) return fmt::format("Numeric({}, {})", *t.precision, *t.scale);
      if (t.precision) return fmt::format("Numeric({})", *t.precision);
      return "Numeric";
    case K::date:
      return "Date";
    case K::datetime:
      return t.timezone ? "DateTime(timezone)" : "DateTime";
    case K::time:
      return t.timezone ? "Time(timezone)" : "Time";
    case K::blob:
      return "Blob";
    case K::json:
      return "Json";
    case K::uuid:
      return "Uuid";
    case K::enumeration:
      return fmt::format("Enum {}({})", qualified(t.enum_schema, t.enum_name), join(t.enum_values));
    case K::raw: {
      std::string out = "Raw(";
      bool first = true;
      for (const auto& [dialect, sql] : t.raw) {
        out += fmt::format("{}{}: {}", first ? "" : ", ", dialect, sql);
        first = false;
      }
      return out + ")";
    }
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, const Type& t) { return os << fmt::format("{}", t); }

std::string to_string(ReferentialAction a) {
  switch (a) {
    case ReferentialAction::no_action:
      return "NO ACTION";
    case ReferentialAction::restrict:
      return "RESTRICT";
    case ReferentialAction::cascade:
      return "CASCADE";
    case ReferentialAction::set_null:
      return "SET NULL";
    case ReferentialAction::set_default:
      return "SET DEFAULT";
  }
  return "NO ACTION";
}

bool IndexDef::is_expression(std::size_t i) const {
  return i < columns.size() && !is_identifier(columns[i]);
}

const ColumnDef* TableDef::find_column(std::string_view column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

// ---------------------------------------------------------------------------
// Equality: every field, in declaration order.

bool ForeignKeyDef::operator==(const ForeignKeyDef& o) const {
  return std::tie(name, columns, referred_schema, referred_table, referred_columns, on_delete,
                  on_update, deferrable, initially_deferred) ==
         std::tie(o.name, o.columns, o.referred_schema, o.referred_table, o.referred_columns,
                  o.on_delete, o.on_update, o.deferrable, o.initially_deferred);
}
bool PrimaryKeyDef::operator==(const PrimaryKeyDef& o) const {
  return std::tie(name, columns) == std::tie(o.name, o.columns);
}
bool UniqueDef::operator==(const UniqueDef& o) const {
  return std::tie(name, columns) == std::tie(o.name, o.columns);
}
bool IndexDef::operator==(const IndexDef& o) const {
  return std::tie(name, columns, unique, where, method) ==
         std::tie(o.name, o.columns, o.unique, o.where, o.method);
}
bool CheckDef::operator==(const CheckDef& o) const {
  return std::tie(name, expression) == std::tie(o.name, o.expression);
}
bool ColumnDef::operator==(const ColumnDef& o) const {
  return std::tie(name, type, nullable, primary_key, primary_key_name, autoincrement,
                  server_default, unique, unique_name, index, foreign_key) ==
         std::tie(o.name, o.type, o.nullable, o.primary_key, o.primary_key_name, o.autoincrement,
                  o.server_default, o.unique, o.unique_name, o.index, o.foreign_key);
}
bool TableDef::operator==(const TableDef& o) const {
  return std::tie(schema, name, columns, primary_key, uniques, indexes, foreign_keys, checks,
                  without_rowid, strict) == std::tie(o.schema, o.name, o.columns, o.primary_key,
                                                     o.uniques, o.indexes, o.foreign_keys, o.checks,
                                                     o.without_rowid, o.strict);
}
bool ViewDef::operator==(const ViewDef& o) const {
  return std::tie(schema, name, definition, materialized) ==
         std::tie(o.schema, o.name, o.definition, o.materialized);
}
bool Metadata::operator==(const Metadata& o) const {
  return std::tie(tables_, views_, problems_) == std::tie(o.tables_, o.views_, o.problems_);
}

// ---------------------------------------------------------------------------
// Options

void apply_option(ColumnDef& c, const PrimaryKeyOption& o) {
  c.primary_key = true;
  if (!o.name.empty()) c.primary_key_name = o.name;
}
void apply_option(ColumnDef& c, const NullableOption&) { c.nullable = true; }
void apply_option(ColumnDef& c, const UniqueOption& o) {
  c.unique = true;
  if (!o.name.empty()) c.unique_name = o.name;
}
void apply_option(ColumnDef& c, const IndexOption&) { c.index = true; }
void apply_option(ColumnDef& c, const AutoincrementOption&) { c.autoincrement = true; }
void apply_option(ColumnDef& c, const ServerDefault& o) { c.server_default = o.expression; }
void apply_option(ColumnDef& c, const ForeignKeyOption& o) {
  ForeignKeyDef f = o.def;
  f.columns = {c.name};
  auto parts = split_dots(o.target);
  if (parts.size() == 2 || parts.size() == 3) {
    f.referred_schema = parts.size() == 3 ? parts[0] : "";
    f.referred_table = parts[parts.size() - 2];
    f.referred_columns = {parts.back()};
  } else {
    // Kept malformed on purpose: validate() reports it with the column's name.
    f.referred_table = o.target;
    f.referred_columns.clear();
  }
  c.foreign_key = std::move(f);
}
void apply_option(IndexDef& i, const UniqueOption&) { i.unique = true; }
void apply_option(IndexDef& i, const Where& o) { i.where = o.predicate; }
void apply_option(IndexDef& i, const IndexMethod& o) { i.method = o.method; }
void apply_option(ForeignKeyDef& f, const OnDelete& o) { f.on_delete = o.action; }
void apply_option(ForeignKeyDef& f, const OnUpdate& o) { f.on_update = o.action; }
void apply_option(ForeignKeyDef& f, const Named& o) { f.name = o.name; }
void apply_option(ForeignKeyDef& f, const Deferrable& o) {
  f.deferrable = true;
  f.initially_deferred = o.initially_deferred;
}

namespace detail {
void fold_column(TableDef& t, ColumnDef c, bool join_primary_key) {
  if (c.primary_key) c.nullable = false;
  if (c.primary_key && join_primary_key) {
    if (!t.primary_key) t.primary_key = PrimaryKeyDef{};
    t.primary_key->columns.push_back(c.name);
    if (!c.primary_key_name.empty()) t.primary_key->name = c.primary_key_name;
  }
  if (c.index) {
    IndexDef i;
    i.name = fmt::format("ix_{}_{}", t.name, c.name);
    i.columns = {c.name};
    i.unique = c.unique;
    t.indexes.push_back(std::move(i));
  } else if (c.unique) {
    t.uniques.push_back(UniqueDef{c.unique_name, {c.name}});
  }
  if (c.foreign_key) t.foreign_keys.push_back(*c.foreign_key);
  t.columns.push_back(std::move(c));
}
}  // namespace detail

// ---------------------------------------------------------------------------
// TableBuilder

const TableDef& TableBuilder::def() const { return md_->tables_[i_]; }
TableDef& TableBuilder::mut() { return md_->tables_[i_]; }

TableBuilder& TableBuilder::add_column(ColumnDef c) {
  TableDef& t = mut();
  if (c.primary_key) {
    c.nullable = false;
    if (t.primary_key && !t.primary_key->columns.empty() &&
        std::find_if(t.columns.begin(), t.columns.end(),
                     [](const ColumnDef& x) { return x.primary_key; }) == t.columns.end()) {
      md_->problems_.push_back(
          fmt::format("table {}: primary key declared twice (table-level and on column {})",
                      qualified(t.schema, t.name), c.name));
      detail::fold_column(t, std::move(c), /*join_primary_key=*/false);
      return *this;
    }
  }
  detail::fold_column(t, std::move(c));
  return *this;
}

TableBuilder& TableBuilder::primary_key(std::vector<std::string> columns, std::string name) {
  TableDef& t = mut();
  if (t.primary_key) {
    md_->problems_.push_back(
        fmt::format("table {}: primary key declared twice", qualified(t.schema, t.name)));
    return *this;
  }
  t.primary_key = PrimaryKeyDef{std::move(name), std::move(columns)};
  // Primary key columns are NOT NULL whatever the column said, as in SQL.
  for (auto& c : t.columns)
    if (std::find(t.primary_key->columns.begin(), t.primary_key->columns.end(), c.name) !=
        t.primary_key->columns.end())
      c.nullable = false;
  return *this;
}

TableBuilder& TableBuilder::unique_constraint(std::string name, std::vector<std::string> columns) {
  mut().uniques.push_back(UniqueDef{std::move(name), std::move(columns)});
  return *this;
}

TableBuilder& TableBuilder::unique_constraint(std::vector<std::string> columns) {
  return unique_constraint("", std::move(columns));
}

TableBuilder& TableBuilder::add_index(IndexDef i) {
  mut().indexes.push_back(std::move(i));
  return *this;
}

TableBuilder& TableBuilder::add_foreign_key(ForeignKeyDef f, std::string referred_table) {
  auto [schema, table] = split_qualified(referred_table);
  f.referred_schema = schema;
  f.referred_table = table;
  mut().foreign_keys.push_back(std::move(f));
  return *this;
}

TableBuilder& TableBuilder::check(std::string name, std::string expression) {
  mut().checks.push_back(CheckDef{std::move(name), std::move(expression)});
  return *this;
}

TableBuilder& TableBuilder::check(std::string expression) {
  return check("", std::move(expression));
}

TableBuilder& TableBuilder::without_rowid() {
  mut().without_rowid = true;
  return *this;
}

TableBuilder& TableBuilder::strict() {
  mut().strict = true;
  return *this;
}

// ---------------------------------------------------------------------------
// Metadata

TableBuilder Metadata::table(std::string name) {
  TableDef t;
  std::tie(t.schema, t.name) = split_qualified(name);
  tables_.push_back(std::move(t));
  return TableBuilder(this, tables_.size() - 1);
}

Metadata& Metadata::view(std::string name, std::string definition) {
  ViewDef v;
  std::tie(v.schema, v.name) = split_qualified(name);
  v.definition = std::move(definition);
  views_.push_back(std::move(v));
  return *this;
}

Metadata& Metadata::materialized_view(std::string name, std::string definition) {
  view(std::move(name), std::move(definition));
  views_.back().materialized = true;
  return *this;
}

const TableDef* Metadata::find_table(std::string_view name, std::string_view schema) const {
  for (const auto& t : tables_)
    if (t.name == name && t.schema == schema) return &t;
  return nullptr;
}

std::vector<Enum> Metadata::enums() const {
  std::vector<Enum> out;
  for (const auto& t : tables_)
    for (const auto& c : t.columns) {
      if (c.type.kind != Type::Kind::enumeration) continue;
      bool seen = std::any_of(out.begin(), out.end(), [&](const Enum& e) {
        return e.schema == c.type.enum_schema && e.name == c.type.enum_name;
      });
      if (!seen) out.emplace_back(c.type.enum_schema, c.type.enum_name, c.type.enum_values);
    }
  return out;
}

namespace {

[[noreturn]] void invalid(const std::string& msg) { throw schema_error("metadata: " + msg); }

// Every table and view has a name no other table or view in its schema has.
void validate_relation_names(const std::vector<TableDef>& tables,
                             const std::vector<ViewDef>& views) {
  std::set<std::pair<std::string, std::string>> relations;
  for (const auto& t : tables) {
    std::string tn = qualified(t.schema, t.name);
    if (t.name.empty()) invalid("a table without a name");
    if (!relations.insert({t.schema, t.name}).second)
      invalid(fmt::format("two tables named {}", tn));
  }
  for (const auto& v : views) {
    std::string vn = qualified(v.schema, v.name);
    if (v.name.empty()) invalid("a view without a name");
    if (v.definition.empty()) invalid(fmt::format("view {}: empty definition", vn));
    if (!relations.insert({v.schema, v.name}).second)
      invalid(fmt::format("view {}: a table or view of that name exists already", vn));
  }
}

using EnumTypes = std::map<std::pair<std::string, std::string>, const Type*>;    // first seen
using IndexOwners = std::map<std::pair<std::string, std::string>, std::string>;  // -> table

// An Enum has a name and values, the same values wherever it is used.
void validate_enum(const std::string& cn, const Type& type, EnumTypes& enum_types) {
  if (type.enum_name.empty()) invalid(cn + ": Enum without a name");
  if (type.enum_values.empty())
    invalid(fmt::format("{}: Enum {} has no values", cn, type.enum_name));
  auto key = std::make_pair(type.enum_schema, type.enum_name);
  auto [it, inserted] = enum_types.emplace(key, &type);
  if (!inserted && it->second->enum_values != type.enum_values)
    invalid(fmt::format("{}: Enum {} declared with values ({}) and elsewhere ({})", cn,
                        type.enum_name, join(type.enum_values), join(it->second->enum_values)));
}

void validate_columns(const TableDef& t, const std::string& tn, EnumTypes& enum_types) {
  if (t.columns.empty()) invalid(fmt::format("table {}: no columns", tn));
  std::set<std::string> names;
  for (const auto& c : t.columns) {
    std::string cn = fmt::format("column {}.{}", tn, c.name);
    if (c.name.empty()) invalid(fmt::format("table {}: a column without a name", tn));
    if (!names.insert(c.name).second)
      invalid(fmt::format("table {}: two columns named {}", tn, c.name));
    if (c.type.kind == Type::Kind::enumeration) validate_enum(cn, c.type, enum_types);
    if (c.type.kind == Type::Kind::raw && c.type.raw.empty())
      invalid(cn + ": Raw type without any dialect");
    if (c.type.kind == Type::Kind::string && c.type.length && *c.type.length <= 0)
      invalid(fmt::format("{}: String({}) needs a positive length", cn, *c.type.length));
    if (c.foreign_key && c.foreign_key->referred_columns.empty())
      invalid(fmt::format("{}: foreign key target '{}' is not table.column", cn,
                          c.foreign_key->referred_table));
  }
}

// "primary key" or "primary key pk_user": a constraint in messages.
std::string label(const char* kind, const std::string& name) {
  return name.empty() ? std::string(kind) : fmt::format("{} {}", kind, name);
}

// A constraint names at least one column, each a column of the table, none twice.
void need_columns(const TableDef& t, const std::string& tn, const std::string& what,
                  const std::vector<std::string>& cols) {
  if (cols.empty()) invalid(fmt::format("table {}: {} has no columns", tn, what));
  std::set<std::string> seen;
  for (const auto& col : cols) {
    if (!t.find_column(col))
      invalid(fmt::format("table {}: {} names missing column {}", tn, what, col));
    if (!seen.insert(col).second)
      invalid(fmt::format("table {}: {} names column {} twice", tn, what, col));
  }
}

// An index name is unique within its schema: two tables cannot both have it.
void validate_indexes(const TableDef& t, const std::string& tn, IndexOwners& index_owner) {
  for (const auto& i : t.indexes) {
    if (i.name.empty()) invalid(fmt::format("table {}: an index without a name", tn));
    if (i.columns.empty()) invalid(fmt::format("table {}: index {} has no columns", tn, i.name));
    for (std::size_t k = 0; k < i.columns.size(); ++k)
      if (!i.is_expression(k) && !t.find_column(i.columns[k]))
        invalid(
            fmt::format("table {}: index {} names missing column {}", tn, i.name, i.columns[k]));
    auto [it, inserted] = index_owner.emplace(std::make_pair(t.schema, i.name), tn);
    if (!inserted)
      invalid(
          fmt::format("table {}: index {} exists already (on table {})", tn, i.name, it->second));
  }
}

void validate_foreign_keys(const Metadata& md, const TableDef& t, const std::string& tn) {
  for (const auto& f : t.foreign_keys) {
    std::string what = label("foreign key", f.name);
    need_columns(t, tn, what, f.columns);
    std::string target = qualified(f.referred_schema, f.referred_table);
    const TableDef* r = md.find_table(f.referred_table, f.referred_schema);
    if (!r)
      invalid(fmt::format("table {}: {} ({}) refers to unknown table {}", tn, what, join(f.columns),
                          target));
    if (f.referred_columns.size() != f.columns.size())
      invalid(fmt::format("table {}: {} has {} column(s) but refers to {} in {}", tn, what,
                          f.columns.size(), f.referred_columns.size(), target));
    for (const auto& rc : f.referred_columns)
      if (!r->find_column(rc))
        invalid(fmt::format("table {}: {} ({}) refers to unknown column {}.{}", tn, what,
                            join(f.columns), target, rc));
  }
}

void validate_table(const Metadata& md, const TableDef& t, EnumTypes& enum_types,
                    IndexOwners& index_owner) {
  std::string tn = qualified(t.schema, t.name);
  validate_columns(t, tn, enum_types);
  if (t.primary_key)
    need_columns(t, tn, label("primary key", t.primary_key->name), t.primary_key->columns);
  for (const auto& u : t.uniques)
    need_columns(t, tn, label("unique constraint", u.name), u.columns);
  for (const auto& ck : t.checks)
    if (ck.expression.empty())
      invalid(fmt::format("table {}: {} is empty", tn, label("check", ck.name)));
  validate_indexes(t, tn, index_owner);
  validate_foreign_keys(md, t, tn);
}

}  // namespace

void Metadata::validate() const {
  if (!problems_.empty()) invalid(problems_.front());
  validate_relation_names(tables_, views_);
  EnumTypes enum_types;
  IndexOwners index_owner;
  for (const auto& t : tables_) validate_table(*this, t, enum_types, index_owner);
}

}  // namespace migtest
