# cmake -DNM=nm -DARCHIVE=libx.a -P check_no_os_calls.cmake
# Fails when the archive refers to a function that does I/O, reads a clock, sleeps or draws
# randomness from the OS. Protocol engines get all of these handed in (sans-IO), which is what
# lets one engine run over kernel sockets and over the virtual network, reproducibly.
execute_process(COMMAND ${NM} --undefined-only --demangle ${ARCHIVE}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${ARCHIVE}")
endif()

# C library calls, matched as whole names (with glibc's 64-bit and versioned variants).
set(c_calls
  open openat openat2 creat close read write pread pwrite readv writev lseek
  fopen fdopen freopen fread fwrite opendir readdir fstat stat lstat statx fstatat newfstatat
  mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 readlink readlinkat
  ftruncate truncate fsync fdatasync sendfile splice syscall ioctl fcntl
  socket bind listen accept accept4 connect send sendto sendmsg recv recvfrom recvmsg
  setsockopt getsockopt shutdown poll ppoll select epoll_wait
  clock_gettime gettimeofday time nanosleep clock_nanosleep sleep usleep
  getrandom getentropy rand rand_r random srand srandom drand48)
set(bad "")
string(REPLACE "\n" ";" lines "${symbols}")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[ \t]*U[ \t]+" "" name "${line}")
  string(REGEX REPLACE "@.*$" "" name "${name}")
  string(REGEX REPLACE "64$" "" base "${name}")
  list(FIND c_calls "${name}" i1)
  list(FIND c_calls "${base}" i2)
  if(NOT i1 EQUAL -1 OR NOT i2 EQUAL -1)
    list(APPEND bad "${name}")
  elseif(name MATCHES "std::chrono::.*(system_clock|steady_clock|high_resolution_clock)::now"
         OR name MATCHES "std::random_device"
         OR name MATCHES "std::this_thread::sleep"
         OR name MATCHES "std::(__cxx11::)?basic_[io]?fstream"
         OR name MATCHES "std::filesystem::")
    list(APPEND bad "${name}")
  endif()
endforeach()
list(REMOVE_DUPLICATES bad)
if(bad)
  list(JOIN bad "\n  " shown)
  message(FATAL_ERROR "${ARCHIVE} must not do I/O, read a clock or draw OS randomness, "
                      "but it refers to:\n  ${shown}")
endif()
message(STATUS "${ARCHIVE}: no I/O, clock or OS randomness")
