# Empty compiler generated dependencies file for migtest_gtest.
# This may be replaced when dependencies are built.
