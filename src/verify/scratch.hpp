// verify's throwaway database is testdb's scratch database (one concept, one class).
#pragma once

#include "testdb/scratch.hpp"
