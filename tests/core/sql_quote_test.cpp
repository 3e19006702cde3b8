// Quoting names and text into SQL.
#include "sql_quote.hpp"

#include <gtest/gtest.h>

namespace migtest::detail {
namespace {

TEST(SqlQuote, DoublesTheQuoteInside) {
  EXPECT_EQ(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

TEST(SqlQuote, QuotesEachNameOfAList) {
  EXPECT_EQ(quote_ident_list({"a", "B c", "d\"e"}), "\"a\", \"B c\", \"d\"\"e\"");
  EXPECT_EQ(quote_ident_list({}), "");
}

}  // namespace
}  // namespace migtest::detail
