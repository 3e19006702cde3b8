// PostgreSQL canonical forms: types, defaults, expressions and view bodies, and the
// names PostgreSQL gives to unnamed objects. Internal header (docs/reference/postgresql.md).
//
// reflect() feeds the server's spellings (format_type, pg_get_expr, pg_get_viewdef) through
// these functions and expected_schema() feeds the model's text through the same ones, so
// both sides land on one canonical text and Schema == is exact.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail::pg {

/// PostgreSQL's quote_identifier: the name as is when it is lower case [a-z_][a-z0-9_]*
/// and not a keyword that needs quoting, else double-quoted ("user", "Camel").
std::string quote_ident_if_needed(std::string_view name);

/// "name" or "schema.name", each part quoted if needed; the schema "" and "public" are
/// left out (the canonical search_path is public).
std::string qualified_name(std::string_view schema, std::string_view name);

/// The canonical spelling of a type, the one format_type() prints under search_path
/// public: "varchar(20)" -> "character varying(20)", "int4" -> "integer",
/// "timestamptz" -> "timestamp with time zone", "decimal(10)" -> "numeric(10,0)",
/// "int[]" -> "integer[]", "public.mood" -> "mood", "\"Mood\"" stays quoted.
std::string canonical_type(std::string_view type);

/// A column default: the canonical expression, or nullopt for NULL (no default).
std::optional<std::string> canonical_default(std::string_view expression);

/// A CHECK, partial-index predicate, index expression or generated-column expression in
/// canonical form: casts dropped, minimal parentheses, keywords upper case, identifiers
/// folded and quoted as PostgreSQL quotes them, IN lists instead of = ANY (ARRAY[...]),
/// BETWEEN expanded, LIKE for ~~ ... Unparseable text falls back to a token-wise form.
std::string canonical_expression(std::string_view expression);

/// One index entry ("lower(title)", "created_at DESC"): a bare column comes back as its
/// name (unquoted, as the catalog stores it), anything else as a canonical expression;
/// then " DESC", " NULLS FIRST" or " DESC NULLS LAST" when not the default order.
std::string canonical_index_entry(std::string_view entry);

/// The column names of a table, for expanding `*` in view bodies; nullopt when unknown.
using ColumnResolver =
    std::function<std::optional<std::vector<std::string>>(const std::string& schema,
                                                          const std::string& table)>;

/// A view's SELECT in canonical form: as canonical_expression for every expression; column
/// references bare when the FROM has one entry, qualified by table or alias when it has
/// several (unqualified ones looked up through `columns`); implicit output names
/// (AS count) dropped; ASC / INNER / OUTER / AS noise dropped; join parentheses flattened;
/// ordinals and aliases in GROUP BY / ORDER BY resolved; `*` expanded through `columns`.
/// `output_names`, when given, receives the view's column names (for resolving views
/// that select from this one).
std::string canonical_view(std::string_view select, const ColumnResolver& columns = {},
                           std::vector<std::string>* output_names = nullptr);

/// Whitespace collapsed to single spaces outside quotes, trailing ';' and spaces removed
/// (trigger definitions).
std::string collapse_whitespace(std::string_view text);

/// Column names an expression refers to (unqualified, folded), in first-use order.
std::vector<std::string> referenced_columns(std::string_view expression);

/// Elements of a one-dimensional PostgreSQL array literal in text form: {a,"b c",NULL}.
std::vector<std::optional<std::string>> parse_text_array(std::string_view text);

// ---------------------------------------------------------------------------
// The names PostgreSQL chooses (src/backend/commands/indexcmds.c, catalog/pg_constraint.c)

/// makeObjectName: name1[_name2]_label, the longer of name1/name2 cut to fit 63 bytes.
std::string make_object_name(std::string_view name1, std::string_view name2,
                             std::string_view label);

/// Column names joined with '_', as ChooseIndexNameAddition / ChooseForeignKeyConstraint-
/// NameAddition do (stops once 63 bytes are reached).
std::string name_addition(const std::vector<std::string>& columns);

/// ChooseConstraintName / ChooseRelationName: make_object_name(name1, name2, label), then
/// label1, label2, ... until the name is not in `taken`; the chosen name is added to it.
std::string choose_name(std::string_view name1, std::string_view name2, std::string_view label,
                        std::set<std::string>& taken);

}  // namespace migtest::detail::pg
