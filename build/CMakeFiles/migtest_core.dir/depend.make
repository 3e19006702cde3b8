# Empty dependencies file for migtest_core.
# This may be replaced when dependencies are built.
