# The module map of ../shared/DESIGN.md, enforced by the build: each module folder of src/ is
# an object library that compiles its own sources with the third-party libraries it names and
# nothing else, and sees, besides the public headers, only
#   - its own folder (src/<module>/, subfolders included), and
#   - the internal headers each module it depends on (directly or not) offers the others:
#     its HEADERS list. Anything else of another module is not on its include path, so an
#     include the map forbids fails to compile ("backend/postgres/...: No such file").
# The paths a module sees are symbolic links under <build>/private-include/<module>/: the
# sources keep their "module/header.hpp" spelling. The exported libraries are bundles of
# these objects (migtest_bundle); the public headers under include/ are one folder, and all
# of them stay visible to every module.

set(MIGTEST_PRIVATE_INCLUDE_ROOT ${PROJECT_BINARY_DIR}/private-include)

# Gives `target` a private include folder with its own source folder `own` (relative to
# src/, or "" for none) and the HEADERS of `modules`.
function(migtest_private_includes target own)
  set(root ${MIGTEST_PRIVATE_INCLUDE_ROOT}/${target})
  file(REMOVE_RECURSE ${root})  # links a previous configuration made and this one does not
  file(MAKE_DIRECTORY ${root})
  if(own)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${own} ${root}/${own} SYMBOLIC)
  endif()
  foreach(module IN LISTS ARGN)
    get_property(headers GLOBAL PROPERTY MIGTEST_HEADERS_${module})
    foreach(header IN LISTS headers)
      if(NOT EXISTS ${PROJECT_SOURCE_DIR}/src/${header})
        message(FATAL_ERROR "module ${module} offers src/${header}, which does not exist")
      endif()
      get_filename_component(dir ${root}/${header} DIRECTORY)
      if(IS_SYMLINK ${dir})  # a link made there would land in the source tree
        message(FATAL_ERROR "${target} sees src/${own} whole; ${module} cannot add ${header}")
      endif()
      file(MAKE_DIRECTORY ${dir})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${header} ${root}/${header} SYMBOLIC)
    endforeach()
  endforeach()
  target_include_directories(${target} PRIVATE ${root})
endfunction()

# migtest_module(<name> [DIRECTORY <folder of src/>] SOURCES <paths relative to src/>...
#                [DEPENDS <modules>...] [LIBRARIES <third-party targets>...]
#                [HEADERS <internal headers other modules may include, relative to src/>...])
# Defines the object library migtest_<name>_objects. DEPENDS lists the modules of the map it
# uses; the modules they depend on come with them. Modules are defined in dependency order.
function(migtest_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "DIRECTORY" "SOURCES;DEPENDS;LIBRARIES;HEADERS")
  set(target migtest_${name}_objects)
  list(TRANSFORM arg_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/src/)
  add_library(${target} OBJECT ${arg_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${target} PUBLIC fmt::fmt PRIVATE ${arg_LIBRARIES} migtest_warnings)

  set(closure ${name})
  foreach(dep IN LISTS arg_DEPENDS)
    get_property(dep_closure GLOBAL PROPERTY MIGTEST_CLOSURE_${dep})
    if(NOT dep_closure)
      message(FATAL_ERROR "module ${name} depends on ${dep}, which is not defined before it")
    endif()
    list(APPEND closure ${dep_closure})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set_property(GLOBAL PROPERTY MIGTEST_CLOSURE_${name} ${closure})
  set_property(GLOBAL PROPERTY MIGTEST_LIBRARIES_${name} ${arg_LIBRARIES})
  set_property(GLOBAL PROPERTY MIGTEST_HEADERS_${name} ${arg_HEADERS})
  set_property(GLOBAL APPEND PROPERTY MIGTEST_MODULES ${name})

  set(others ${closure})
  list(REMOVE_ITEM others ${name})
  if(NOT arg_DIRECTORY)  # core: its headers are all it has of its own
    list(APPEND others ${name})
  endif()
  migtest_private_includes(${target} "${arg_DIRECTORY}" ${others})
endfunction()

# The modules `module` needs, itself first: what a test of that module alone links.
function(migtest_module_closure module out)
  get_property(closure GLOBAL PROPERTY MIGTEST_CLOSURE_${module})
  set(${out} ${closure} PARENT_SCOPE)
endfunction()

# Links `target` with the objects of `module` and of every module it needs, and the
# third-party libraries they use: a module's tests build and link with that module alone.
function(migtest_link_module target module)
  migtest_module_closure(${module} closure)
  list(TRANSFORM closure REPLACE "(.+)" "migtest_\\1_objects")
  target_link_libraries(${target} PRIVATE ${closure})
endfunction()

# migtest_bundle(<target> EXPORT_NAME <name> MODULES <modules>... [LINKS <bundles>...])
# A static library of the objects of MODULES, with the third-party libraries they use as
# private dependencies (a static library's users link them too) and fmt as a public one
# (public headers include it). LINKS: bundles it builds on, linked publicly.
function(migtest_bundle target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPORT_NAME" "MODULES;LINKS")
  add_library(${target} STATIC)
  add_library(migtest::${arg_EXPORT_NAME} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${arg_EXPORT_NAME})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC fmt::fmt ${arg_LINKS})
  foreach(module IN LISTS arg_MODULES)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:migtest_${module}_objects>)
    get_property(libraries GLOBAL PROPERTY MIGTEST_LIBRARIES_${module})
    target_link_libraries(${target} PRIVATE ${libraries})
  endforeach()
endfunction()
