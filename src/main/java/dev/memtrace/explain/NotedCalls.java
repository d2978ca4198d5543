package dev.memtrace.explain;

import dev.memtrace.model.MemorySyscalls;
import java.util.HashSet;
import java.util.Set;

/**
 * The calls other than memory calls that the explain stage looks at, and which of them carry a data
 * buffer. Not a memory-call set: the memory calls are the rows of {@link MemorySyscalls}, the one
 * table every stage reads.
 */
final class NotedCalls {
  private NotedCalls() {}

  /** Calls whose argument 1 is a flat data buffer and argument 2 its length. */
  static final Set<String> FLAT_BUFFER =
      Set.of("read", "write", "pread64", "pwrite64", "recvfrom", "sendto", "recv", "send");

  /** Calls whose argument 1 is an iovec array (or a msghdr holding one). */
  static final Set<String> IOV_BUFFER =
      Set.of("readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "recvmsg", "sendmsg");

  /**
   * The calls other than memory calls that the explain stage learns from or says something about:
   * the names {@code State.applyOther} and {@code Specials.after} switch on, and the buffer calls
   * {@code Buffers} places. Any other call that changed no region is passed by (most of a large
   * log). {@code NotedCallsTest} checks this against those switches.
   */
  static final Set<String> NOTED =
      union(
          Set.of(
              "execve",
              "execveat",
              "clone",
              "clone3",
              "fork",
              "vfork",
              "set_tid_address",
              "gettid",
              "getpid",
              "socket",
              "bpf",
              "setsockopt",
              "getrandom",
              "access",
              "arch_prctl",
              "prlimit64",
              "getrlimit",
              "sigaltstack",
              "prctl",
              "personality",
              "readlink",
              "readlinkat",
              "pkey_alloc",
              "pkey_free",
              "lseek",
              "_llseek",
              "close"),
          FLAT_BUFFER,
          IOV_BUFFER,
          KernelCopies.CALLS);

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }
}
