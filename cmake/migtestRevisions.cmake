# migtest_hash_revisions(<target>): the checksum of each C++ revision compiled into <target>
# covers its code, hashed at build time (docs/guide/cpp-revisions-and-autogenerate.md).
#
#   find_package(migtest CONFIG REQUIRED COMPONENTS cli)   # or add_subdirectory(migtest)
#   add_executable(app_migrate main.cpp migrations/b7e2a91c0d44_display_name.cpp)
#   target_link_libraries(app_migrate PRIVATE migtest::cli)
#   migtest_hash_revisions(app_migrate)
#
# At the end of the calling directory (so sources added later count too) it adds to <target>
# a generated .cpp holding {file, id, SHA-256 of the revision's code} for every revision
# written in the target's C/C++ sources and headers. A custom command regenerates it whenever
# one of those sources changes; migtestHashRevisions.cmake says what is hashed.
function(migtest_hash_revisions target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "migtest_hash_revisions: no target named '${target}'")
  endif()
  get_target_property(done ${target} MIGTEST_REVISIONS_HASHED)
  if(done)
    return()
  endif()
  set_target_properties(${target} PROPERTIES MIGTEST_REVISIONS_HASHED TRUE)
  # A deferred call's arguments are read when it runs: the target's name goes in as text.
  cmake_language(EVAL CODE "cmake_language(DEFER CALL _migtest_hash_revisions_now [[${target}]])")
endfunction()

function(_migtest_hash_revisions_now target)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/migtest_revisions)
  set(table ${dir}/${target}_code_hashes.cpp)
  set(script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/migtestHashRevisions.cmake)
  set(scanned "")
  foreach(s IN LISTS sources)
    # Sources named by generator expressions, and generated ones, are not scanned: their
    # revisions stay without a code hash (History::unhashed_code lists them).
    if(s MATCHES "\\$<" OR NOT s MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+|C|h|hh|hpp|hxx|ipp|inl|tpp)$")
      continue()
    endif()
    get_source_file_property(generated "${s}" GENERATED)
    if(generated)
      continue()
    endif()
    if(NOT IS_ABSOLUTE "${s}")
      set(s "${source_dir}/${s}")
    endif()
    list(APPEND scanned "${s}")
  endforeach()
  list(REMOVE_DUPLICATES scanned)
  list(JOIN scanned "\n" lines)
  # Written at generate time and only when the list changes.
  file(GENERATE OUTPUT ${dir}/${target}.sources CONTENT "${lines}\n")
  add_custom_command(
    OUTPUT ${table}
    COMMAND ${CMAKE_COMMAND} -DSOURCES_FILE=${dir}/${target}.sources -DOUTPUT=${table}
            -P ${script}
    DEPENDS ${scanned} ${dir}/${target}.sources ${script}
    COMMENT "Hashing the C++ revisions of ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${table})
endfunction()
