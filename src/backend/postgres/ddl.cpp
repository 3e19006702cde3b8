// PostgreSQL DDL rendering, and Metadata as a PostgreSQL Schema.
#include "backend/postgres/ddl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <utility>

#include "backend/postgres/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "sql_lexer.hpp"
#include "sql_quote.hpp"
#include "strings.hpp"

namespace migtest::detail::pg {

namespace {

std::string constraint_prefix(const std::string& name) {
  return name.empty() ? std::string() : "CONSTRAINT " + quote(name) + " ";
}

std::string public_as_empty(const std::string& schema) {
  return schema == "public" ? std::string() : schema;
}

// The table a foreign key points to, as (schema, name) with "" for public.
std::pair<std::string, std::string> referred(const Table& t, const ForeignKey& fk) {
  std::string s = fk.referred_schema.empty() ? t.schema : fk.referred_schema;
  return {public_as_empty(s), fk.referred_table};
}

// A reflected key's trailing COLLATE and operator class (and ordering), as pg_get_indexdef
// prints them after the column or expression: " COLLATE \"C\" text_pattern_ops DESC".
bool collation_or_opclass(const std::string& rest) {
  static const std::regex options(
      R"(^(\s+COLLATE\s+("[^"]*"|[A-Za-z_][\w$]*)(\.("[^"]*"|[A-Za-z_][\w$]*))?)?)"
      R"((\s+[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?)?(\s+(ASC|DESC))?(\s+NULLS\s+(FIRST|LAST))?$)",
      std::regex::icase);
  static const std::regex order_only(R"(^(\s+(ASC|DESC))?(\s+NULLS\s+(FIRST|LAST))?$)",
                                     std::regex::icase);
  return std::regex_match(rest, options) && !std::regex_match(rest, order_only);
}

// The end of the parenthesised group that opens at `open` (quotes skipped), or npos.
std::size_t group_end(const std::string& s, std::size_t open) {
  const std::size_t close = sql::closing_paren(s, open, sql::Dialect::postgresql);
  return close == std::string_view::npos ? std::string::npos : close + 1;
}

// A reflected entry with a COLLATE or an operator class, rendered as the server printed it
// with a column's name quoted; "" when `entry` is not one.
std::string reflected_entry_sql(const Table& t, const std::string& entry) {
  for (const auto& c : t.columns) {
    if (entry.size() > c.name.size() && entry.compare(0, c.name.size(), c.name) == 0 &&
        entry[c.name.size()] == ' ' && collation_or_opclass(entry.substr(c.name.size())))
      return quote(c.name) + entry.substr(c.name.size());
  }
  std::size_t open = 0;  // an expression: "(a + b)" or "lower((title)::text)"
  while (open < entry.size() && (std::isalnum(static_cast<unsigned char>(entry[open])) ||
                                 entry[open] == '_' || entry[open] == '.'))
    ++open;
  if (open >= entry.size() || entry[open] != '(') return "";
  const std::size_t end = group_end(entry, open);
  if (end == std::string::npos || !collation_or_opclass(entry.substr(end))) return "";
  return entry;
}

std::string index_entry_sql(const Table& t, const std::string& entry) {
  if (t.find_column(entry)) return quote(entry);
  if (std::string sql = reflected_entry_sql(t, entry); !sql.empty()) return sql;
  std::string body = entry, suffix;
  for (bool found = true; found;) {
    found = false;
    for (std::string_view s : {" NULLS FIRST", " NULLS LAST", " DESC", " ASC"}) {
      if (iends_with(body, s)) {
        suffix = std::string(s) + suffix;
        body.resize(body.size() - s.size());
        while (!body.empty() && body.back() == ' ') body.pop_back();
        found = true;
      }
    }
  }
  if (t.find_column(body)) return quote(body) + suffix;
  return "(" + body + ")" + suffix;
}

// The PostgreSQL spelling of a portable type.
std::string pg_type(const TableDef& t, const ColumnDef& c) {
  const Type& ty = c.type;
  using K = Type::Kind;
  switch (ty.kind) {
    case K::integer:
      return "integer";
    case K::big_integer:
      return "bigint";
    case K::small_integer:
      return "smallint";
    case K::boolean:
      return "boolean";
    case K::string:
      return ty.length ? fmt::format("character varying({})", *ty.length)
                       : std::string("character varying");
    case K::text:
      return "text";
    case K::float32:
      return "real";
    case K::float64:
      return "double precision";
    case K::numeric:
      if (!ty.precision) return "numeric";
      if (!ty.scale) return fmt::format("numeric({})", *ty.precision);
      return fmt::format("numeric({},{})", *ty.precision, *ty.scale);
    case K::date:
      return "date";
    case K::datetime:
      return ty.timezone ? "timestamp with time zone" : "timestamp without time zone";
    case K::time:
      return ty.timezone ? "time with time zone" : "time without time zone";
    case K::blob:
      return "bytea";
    case K::json:
      return "jsonb";
    case K::uuid:
      return "uuid";
    case K::enumeration:
      return quoted_name(public_as_empty(ty.enum_schema), ty.enum_name);
    case K::raw: {
      auto raw = ty.raw_for(Dialect::postgresql);
      if (!raw)
        throw schema_error(fmt::format(
            "column {}.{}: its Raw type gives no \"postgresql\" spelling", t.name, c.name));
      return *raw;
    }
  }
  return "text";
}

bool integer_kind(Type::Kind k) {
  return k == Type::Kind::integer || k == Type::Kind::big_integer || k == Type::Kind::small_integer;
}

std::string lower_trimmed(const std::string& text) {
  std::string out;
  for (char ch : text)
    if (!std::isspace(static_cast<unsigned char>(ch)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// serial -> integer and so on: a Raw "serial" type is an autoincrement column.
std::optional<std::string> serial_base(const std::string& type) {
  const std::string t = lower_trimmed(type);
  if (t == "serial" || t == "serial4") return "integer";
  if (t == "bigserial" || t == "serial8") return "bigint";
  if (t == "smallserial" || t == "serial2") return "smallint";
  return std::nullopt;
}

// The integer type a serial can be made of, spelled as render_column() expects it.
std::optional<std::string> serial_type(const std::string& type) {
  const std::string t = lower_trimmed(type);
  if (t == "integer" || t == "int" || t == "int4") return "integer";
  if (t == "bigint" || t == "int8") return "bigint";
  if (t == "smallint" || t == "int2") return "smallint";
  return std::nullopt;
}

Column column_of(const TableDef& td, const ColumnDef& cd, const std::set<std::string>& fk_columns) {
  Column c;
  c.name = cd.name;
  c.type = pg_type(td, cd);
  c.nullable = cd.nullable;
  c.autoincrement = cd.autoincrement;
  if (auto base = serial_base(c.type)) {
    c.type = *base;
    c.autoincrement = true;
  }
  if (c.autoincrement) {
    auto integer = serial_type(c.type);
    if (!integer)
      throw schema_error(
          fmt::format("column {}.{}: autoincrement (serial) needs an integer type, not {}", td.name,
                      cd.name, c.type));
    c.type = *integer;
  }
  // A single-column integer primary key is an identity column, as SQLite's INTEGER PRIMARY
  // KEY assigns ids (docs/reference/postgresql.md).
  const bool implicit_identity = td.primary_key && td.primary_key->columns.size() == 1 &&
                                 td.primary_key->columns[0] == cd.name &&
                                 integer_kind(cd.type.kind) && !c.autoincrement &&
                                 !cd.server_default && !fk_columns.count(cd.name);
  if (implicit_identity) c.identity = "by default";
  if (cd.server_default && !c.autoincrement) c.default_value = cd.server_default;
  return c;
}

ForeignKey foreign_key_of(const Table& t, const ForeignKeyDef& fd) {
  ForeignKey fk;
  fk.name = fd.name;
  fk.columns = fd.columns;
  const std::string ref_schema = public_as_empty(fd.referred_schema);
  fk.referred_schema = ref_schema == t.schema ? "" : (ref_schema.empty() ? "public" : ref_schema);
  fk.referred_table = fd.referred_table;
  fk.referred_columns = fd.referred_columns;
  fk.on_delete = to_string(fd.on_delete);
  fk.on_update = to_string(fd.on_update);
  fk.deferrable = fd.deferrable || fd.initially_deferred;
  fk.initially_deferred = fd.initially_deferred;
  return fk;
}

// A declared table as written: unnamed constraints stay unnamed, for the server to name.
Table table_of(const TableDef& td) {
  Table t;
  t.schema = public_as_empty(td.schema);
  t.name = td.name;
  std::set<std::string> fk_columns;
  for (const auto& fk : td.foreign_keys) fk_columns.insert(fk.columns.begin(), fk.columns.end());
  for (const auto& cd : td.columns) t.columns.push_back(column_of(td, cd, fk_columns));
  for (const auto& ck : td.checks) t.checks.push_back(CheckConstraint{ck.name, ck.expression});
  if (td.primary_key) t.primary_key = PrimaryKey{td.primary_key->name, td.primary_key->columns};
  for (const auto& u : td.uniques) t.uniques.push_back(UniqueConstraint{u.name, u.columns});
  for (const auto& fd : td.foreign_keys) t.foreign_keys.push_back(foreign_key_of(t, fd));
  for (const auto& id : td.indexes) {
    Index ix;
    ix.name = id.name;
    ix.unique = id.unique;
    ix.where = id.where;
    ix.method = id.method;
    ix.columns = id.columns;
    t.indexes.push_back(std::move(ix));
  }
  return t;
}

}  // namespace

std::string quote(std::string_view name) { return quote_ident(name); }

std::string quoted_name(std::string_view schema, std::string_view name) {
  if (schema.empty()) return quote(name);
  return quote(schema) + "." + quote(name);
}

std::string render_column(const Column& c) {
  std::string type = c.type;
  if (c.autoincrement) {
    if (type == "integer") type = "serial";
    if (type == "bigint") type = "bigserial";
    if (type == "smallint") type = "smallserial";
  }
  std::string out = quote(c.name) + " " + type;
  if (!c.collation.empty()) out += " COLLATE " + quote(c.collation);
  if (!c.identity.empty())
    out += c.identity == "always" ? " GENERATED ALWAYS AS IDENTITY"
                                  : " GENERATED BY DEFAULT AS IDENTITY";
  if (c.generated) out += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
  if (!c.nullable) out += " NOT NULL";
  if (c.default_value && !c.autoincrement && !c.generated) out += " DEFAULT " + *c.default_value;
  return out;
}

std::string render_foreign_key(const Table& t, const ForeignKey& fk) {
  auto [schema, table] = referred(t, fk);
  std::string out = constraint_prefix(fk.name) + "FOREIGN KEY (" + quote_ident_list(fk.columns) +
                    ") REFERENCES " + quoted_name(schema, table) + " (" +
                    quote_ident_list(fk.referred_columns) + ")";
  if (fk.on_delete != "NO ACTION") out += " ON DELETE " + fk.on_delete;
  if (fk.on_update != "NO ACTION") out += " ON UPDATE " + fk.on_update;
  if (fk.deferrable)
    out += fk.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
  return out;
}

std::string render_create_table(const Table& t, bool with_foreign_keys) {
  std::vector<std::string> items;
  for (const auto& c : t.columns) items.push_back(render_column(c));
  if (t.primary_key)
    items.push_back(constraint_prefix(t.primary_key->name) + "PRIMARY KEY (" +
                    quote_ident_list(t.primary_key->columns) + ")");
  for (const auto& u : t.uniques)
    items.push_back(constraint_prefix(u.name) + "UNIQUE (" + quote_ident_list(u.columns) + ")");
  for (const auto& ck : t.checks)
    items.push_back(constraint_prefix(ck.name) + "CHECK (" + ck.expression + ")");
  if (with_foreign_keys)
    for (const auto& fk : t.foreign_keys) items.push_back(render_foreign_key(t, fk));
  std::string out = "CREATE TABLE " + quoted_name(t.schema, t.name) + " (";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n  " : "\n  ") + items[i];
  return out + "\n)";
}

std::string render_add_foreign_key(const Table& t, const ForeignKey& fk) {
  return "ALTER TABLE " + quoted_name(t.schema, t.name) + " ADD " + render_foreign_key(t, fk);
}

std::string render_create_index(const Table& t, const Index& ix) {
  std::string entries;
  for (const auto& e : ix.columns) entries += (entries.empty() ? "" : ", ") + index_entry_sql(t, e);
  std::string out = std::string(ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                    quote(ix.name) + " ON " + quoted_name(t.schema, t.name);
  if (!ix.method.empty()) out += " USING " + ix.method;
  out += " (" + entries + ")";
  if (!ix.where.empty()) out += " WHERE " + ix.where;
  return out;
}

std::string render_create_view(const View& v) {
  std::string def = v.definition;
  while (!def.empty() &&
         (def.back() == ';' || std::isspace(static_cast<unsigned char>(def.back()))))
    def.pop_back();
  return std::string(v.materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") +
         quoted_name(v.schema, v.name) + " AS " + def;
}

std::string render_create_enum(const Enum& e) {
  std::string values;
  for (const auto& v : e.values) {
    std::string lit = "'";
    for (char c : v) {
      if (c == '\'') lit += '\'';
      lit += c;
    }
    values += (values.empty() ? "" : ", ") + lit + "'";
  }
  return "CREATE TYPE " + quoted_name(e.schema, e.name) + " AS ENUM (" + values + ")";
}

std::string render_create_sequence(const Sequence& s) {
  return fmt::format("CREATE SEQUENCE {} AS {} START WITH {} INCREMENT BY {}",
                     quoted_name(s.schema, s.name), s.type, s.start, s.increment);
}

namespace {

// CREATE SCHEMA for every schema other than public that something is created in, once.
void create_schemas(const Schema& schema, std::vector<std::string>& out) {
  std::set<std::string> schemas;
  auto need_schema = [&](const std::string& s) {
    if (!s.empty() && s != "public" && schemas.insert(s).second)
      out.push_back("CREATE SCHEMA IF NOT EXISTS " + quote(s));
  };
  for (const auto& t : schema.tables) need_schema(t.schema);
  for (const auto& v : schema.views) need_schema(v.schema);
  for (const auto& e : schema.enums) need_schema(e.schema);
  for (const auto& q : schema.sequences) need_schema(q.schema);
  for (const auto& f : schema.functions) need_schema(f.schema);
}

// Whether the sequence is a serial column's own (created with its table).
bool serial_owned(const Schema& schema, const Sequence& q) {
  auto dot = q.owned_by.rfind('.');
  if (dot == std::string::npos) return false;
  std::string table = q.owned_by.substr(0, dot), column = q.owned_by.substr(dot + 1);
  std::string tschema = q.schema;
  if (auto d = table.find('.'); d != std::string::npos) {
    tschema = table.substr(0, d);
    table = table.substr(d + 1);
  }
  const Table* t = schema.find_table(table, public_as_empty(tschema));
  const Column* c = t ? t->find_column(column) : nullptr;
  return c && c->autoincrement;
}

// ALTER SEQUENCE ... OWNED BY its column ("table.column" or "schema.table.column").
std::string sequence_owner_sql(const Sequence& q) {
  auto dot = q.owned_by.rfind('.');
  std::string table = q.owned_by.substr(0, dot);
  std::string target = table.find('.') == std::string::npos
                           ? quoted_name(q.schema, table)
                           : quote(table.substr(0, table.find('.'))) + "." +
                                 quote(table.substr(table.find('.') + 1));
  return "ALTER SEQUENCE " + quoted_name(q.schema, q.name) + " OWNED BY " + target + "." +
         quote(q.owned_by.substr(dot + 1));
}

// The tables' CREATE TABLEs in foreign-key order, and the foreign keys left for later.
struct OrderedTables {
  std::vector<const Table*> order;
  std::vector<std::string> create;    // CREATE TABLE, in `order`
  std::vector<std::string> deferred;  // ALTER TABLE ... ADD FOREIGN KEY: cycles cut
};

// A table comes after the tables it refers to; in a cycle the first table left (declaration
// order) comes next and its foreign keys to tables not yet created are added with ALTER TABLE
// at the end.
OrderedTables tables_in_foreign_key_order(const Schema& schema) {
  OrderedTables out;
  std::vector<const Table*> pending;
  for (const auto& t : schema.tables) pending.push_back(&t);
  std::set<std::pair<std::string, std::string>> created;
  // Whether a foreign key can be part of its table's CREATE TABLE.
  auto inline_ok = [&](const Table& t, const ForeignKey& fk) {
    auto target = referred(t, fk);
    return target == std::make_pair(t.schema, t.name) || created.count(target) ||
           !schema.find_table(target.second, target.first);  // not ours to create
  };
  auto ready = [&](const Table* t) {
    return std::all_of(t->foreign_keys.begin(), t->foreign_keys.end(),
                       [&](const ForeignKey& fk) { return inline_ok(*t, fk); });
  };
  while (!pending.empty()) {
    auto it = std::find_if(pending.begin(), pending.end(), ready);
    if (it == pending.end()) it = pending.begin();
    const Table* t = *it;
    pending.erase(it);
    Table inline_part = *t;
    inline_part.foreign_keys.clear();
    for (const auto& fk : t->foreign_keys) {
      if (inline_ok(*t, fk))
        inline_part.foreign_keys.push_back(fk);
      else
        out.deferred.push_back(render_add_foreign_key(*t, fk));
    }
    out.create.push_back(render_create_table(inline_part));
    created.insert({t->schema, t->name});
    out.order.push_back(t);
  }
  return out;
}

}  // namespace

std::vector<std::string> render_create_all(const Schema& schema) {
  std::vector<std::string> out;
  create_schemas(schema, out);
  for (const auto& e : schema.enums) out.push_back(render_create_enum(e));
  // Sequences: a serial column creates its own; others are created here and, when owned by
  // a column, attached to it once the tables exist.
  std::vector<std::string> owned_sequences;
  for (const auto& q : schema.sequences) {
    if (serial_owned(schema, q)) continue;
    out.push_back(render_create_sequence(q));
    if (!q.owned_by.empty()) owned_sequences.push_back(sequence_owner_sql(q));
  }
  for (const auto& f : schema.functions) out.push_back(f.definition);
  const OrderedTables tables = tables_in_foreign_key_order(schema);
  out.insert(out.end(), tables.create.begin(), tables.create.end());
  out.insert(out.end(), tables.deferred.begin(), tables.deferred.end());
  out.insert(out.end(), owned_sequences.begin(), owned_sequences.end());
  for (const Table* t : tables.order)
    for (const auto& ix : t->indexes) out.push_back(render_create_index(*t, ix));
  for (const auto& v : schema.views) out.push_back(render_create_view(v));
  for (const Table* t : tables.order)
    for (const auto& tr : t->triggers) out.push_back(tr.definition);
  return out;
}

Schema metadata_schema(const Metadata& md) {
  Schema s;
  s.dialect = Dialect::postgresql;
  for (const auto& e : md.enums())
    s.enums.push_back(Enum(public_as_empty(e.schema), e.name, e.values));
  for (const auto& td : md.tables()) s.tables.push_back(table_of(td));
  for (const auto& vd : md.views()) {
    View v;
    v.schema = public_as_empty(vd.schema);
    v.name = vd.name;
    v.materialized = vd.materialized;
    v.definition = vd.definition;
    s.views.push_back(std::move(v));
  }
  return s;
}

}  // namespace migtest::detail::pg

namespace migtest::detail {

std::vector<std::string> postgres_create_all_sql(const Metadata& metadata) {
  metadata.validate();
  return pg::render_create_all(pg::metadata_schema(metadata));
}

}  // namespace migtest::detail
