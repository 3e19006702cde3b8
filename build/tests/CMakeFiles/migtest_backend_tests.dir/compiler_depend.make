# Empty compiler generated dependencies file for migtest_backend_tests.
# This may be replaced when dependencies are built.
