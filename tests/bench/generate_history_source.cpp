// The generator is compiled into this test binary from its source: migtest_bench_support
// exists only when MIGTEST_BUILD_BENCH is ON, and the tests must build without it.
#include "../../bench/generate_history.cpp"  // NOLINT(bugprone-suspicious-include)
