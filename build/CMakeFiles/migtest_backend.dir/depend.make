# Empty dependencies file for migtest_backend.
# This may be replaced when dependencies are built.
