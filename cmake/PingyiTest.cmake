# pingyi_add_test(NAME SOURCES... [LABELS l...] [TIMEOUT s] [LIBS ...])
# One Qt Test executable per class or feature. Labels: unit, integration, ui, e2e, long.
function(pingyi_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
    if(NOT ARG_LABELS)
        set(ARG_LABELS unit)
    endif()
    if(NOT ARG_TIMEOUT)
        if("e2e" IN_LIST ARG_LABELS OR "long" IN_LIST ARG_LABELS)
            set(ARG_TIMEOUT 900)
        elseif("integration" IN_LIST ARG_LABELS)
            set(ARG_TIMEOUT 300)
        else()
            set(ARG_TIMEOUT 60)
        endif()
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        PINGYI_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
        PINGYI_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PINGYI_LOG_QUIET=1")
endfunction()
