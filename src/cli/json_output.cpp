// The JSON shapes of check, diff, schema and verify (docs/reference/json.md): one function per
// kind of object, so each shape is written in one place.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"

namespace migtest::cli {

namespace {

using detail::JsonWriter;

// A duration: milliseconds, null when the step did not run (-1).
void millis(JsonWriter& w, const char* name, double ms) {
  w.key(name);
  ms < 0 ? w.null() : w.value(ms);
}

void write_optional(JsonWriter& w, const char* name, const std::optional<std::string>& text) {
  w.key(name);
  text ? w.value(*text) : w.null();
}

void write_column(JsonWriter& w, const Column& c) {
  w.begin_object().field("name", c.name).field("type", c.type).field("nullable", c.nullable);
  write_optional(w, "default", c.default_value);
  write_optional(w, "generated", c.generated);
  w.field("generated_stored", c.generated_stored).field_or_null("identity", c.identity);
  w.field("autoincrement", c.autoincrement).field_or_null("collation", c.collation).end_object();
}

void write_constraints(JsonWriter& w, const Table& t) {
  w.key("primary_key");
  if (t.primary_key) {
    w.begin_object()
        .field_or_null("name", t.primary_key->name)
        .field("columns", t.primary_key->columns)
        .end_object();
  } else {
    w.null();
  }
  w.key("uniques").begin_array();
  for (const auto& u : t.uniques)
    w.begin_object().field_or_null("name", u.name).field("columns", u.columns).end_object();
  w.end_array().key("foreign_keys").begin_array();
  for (const auto& f : t.foreign_keys) {
    w.begin_object().field_or_null("name", f.name).field("columns", f.columns);
    w.field_or_null("referred_schema", f.referred_schema).field("referred_table", f.referred_table);
    w.field("referred_columns", f.referred_columns)
        .field("on_delete", f.on_delete)
        .field("on_update", f.on_update);
    w.field("deferrable", f.deferrable)
        .field("initially_deferred", f.initially_deferred)
        .end_object();
  }
  w.end_array().key("checks").begin_array();
  for (const auto& c : t.checks)
    w.begin_object().field_or_null("name", c.name).field("expression", c.expression).end_object();
  w.end_array().key("indexes").begin_array();
  for (const auto& i : t.indexes) {
    w.begin_object().field("name", i.name).field("columns", i.columns).field("unique", i.unique);
    w.field_or_null("where", i.where).field_or_null("method", i.method).end_object();
  }
  w.end_array().key("triggers").begin_array();
  for (const auto& tr : t.triggers)
    w.begin_object().field("name", tr.name).field("definition", tr.definition).end_object();
  w.end_array();
}

void write_table(JsonWriter& w, const Table& t) {
  w.begin_object()
      .field_or_null("schema", t.schema)
      .field("name", t.name)
      .key("columns")
      .begin_array();
  for (const auto& c : t.columns) write_column(w, c);
  w.end_array();
  write_constraints(w, t);
  w.field("without_rowid", t.without_rowid).end_object();
}

void write_check(JsonWriter& w, const CheckResult& c) {
  w.begin_object()
      .field("check", std::string(to_string(c.check)))
      .field("status", std::string(to_string(c.status)));
  w.field("summary", c.summary).field("details", c.details);
  w.field_or_null("skip_reason",
                  c.skip_reason == SkipReason::none ? "" : std::string(to_string(c.skip_reason)));
  w.field_or_null("file", c.where.file).key("line");
  c.where.line > 0 ? w.value(c.where.line) : w.null();
  w.field("elapsed_ms", c.elapsed_ms).key("differences").begin_array();
  for (const auto& d : c.differences) write_difference_json(w, d, "database", "expected");
  w.end_array().key("warnings").begin_array();
  for (const auto& l : c.warnings) {
    w.begin_object()
        .field("rule", l.rule)
        .field("code", l.code)
        .field("severity", std::string(to_string(l.severity)))
        .field("revision", l.revision)
        .field_or_null("file", l.file);
    w.key("line");
    l.line > 0 ? w.value(l.line) : w.null();
    w.field("message", l.message).end_object();
  }
  w.end_array().end_object();
}

}  // namespace

void write_difference_json(JsonWriter& w, const Difference& d, std::string_view actual_label,
                           std::string_view expected_label) {
  w.begin_object().field("kind", std::string(to_string(d.kind))).field_or_null("table", d.table);
  w.field_or_null("object", d.object)
      .field_or_null("actual", d.actual)
      .field_or_null("expected", d.expected);
  w.field("description", d.describe(actual_label, expected_label)).end_object();
}

void print_differences_json(const std::vector<Difference>& diffs, std::string_view actual_label,
                            std::string_view expected_label) {
  JsonWriter w;
  w.begin_object().field("ok", diffs.empty()).key("differences").begin_array();
  for (const auto& d : diffs) write_difference_json(w, d, actual_label, expected_label);
  w.end_array().end_object();
  std::cout << w.str() << "\n";
}

void print_schema_json(const Schema& s) {
  JsonWriter w;
  w.begin_object()
      .field("dialect", s.dialect ? to_string(*s.dialect) : "")
      .key("tables")
      .begin_array();
  for (const auto& t : s.tables) write_table(w, t);
  w.end_array().key("views").begin_array();
  for (const auto& v : s.views) {
    w.begin_object().field_or_null("schema", v.schema).field("name", v.name);
    w.field("definition", v.definition).field("materialized", v.materialized).end_object();
  }
  w.end_array().key("sequences").begin_array();
  for (const auto& q : s.sequences) {
    w.begin_object()
        .field_or_null("schema", q.schema)
        .field("name", q.name)
        .field_or_null("owned_by", q.owned_by);
    w.field("type", q.type).field("start", q.start).field("increment", q.increment).end_object();
  }
  w.end_array().key("enums").begin_array();
  for (const auto& e : s.enums) {
    w.begin_object()
        .field_or_null("schema", e.schema)
        .field("name", e.name)
        .field("values", e.values)
        .end_object();
  }
  w.end_array().key("functions").begin_array();
  for (const auto& f : s.functions) {
    w.begin_object().field_or_null("schema", f.schema).field("signature", f.signature);
    w.field("definition", f.definition).end_object();
  }
  w.end_array().end_object();
  std::cout << w.str() << "\n";
}

void print_verify_json(const VerifyReport& report) {
  JsonWriter w;
  w.begin_object().field("ok", report.ok()).field("dialect", to_string(report.dialect));
  w.field("elapsed_ms", report.elapsed_ms).field("rebuilds", report.rebuilds);
  w.field("failed_revisions", report.failed_revisions()).key("revisions").begin_array();
  for (const auto& r : report.revisions) {
    w.begin_object().field("id", r.revision.id).field_or_null("file", r.revision.file);
    w.field("message", r.revision.message).field("status", std::string(to_string(r.status())));
    millis(w, "up_ms", r.up_ms);
    millis(w, "down_ms", r.down_ms);
    w.key("checks").begin_array();
    for (const auto& c : r.checks) write_check(w, c);
    w.end_array().end_object();
  }
  w.end_array().key("history").begin_array();
  for (const auto& c : report.history) write_check(w, c);
  w.end_array().end_object();
  std::cout << w.str() << "\n";
}

}  // namespace migtest::cli
