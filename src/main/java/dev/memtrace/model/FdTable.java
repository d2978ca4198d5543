package dev.memtrace.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One process's file descriptor table (shared by tasks created with CLONE_FILES). Only what the
 * model needs to name a file mapping: fd → {@link OpenFile}. The kernel hands out the lowest free
 * fd, so almost every fd is small: those are kept in an array by number, like the kernel's own
 * table; the rare ones from 1024 up (a shell's {@code dup2(..., 255)} stays below) go in a map.
 */
public final class FdTable {

  private static final int DIRECT = 1024;
  private OpenFile[] low = new OpenFile[16];

  /** fds from {@link #DIRECT} up, and any negative one; null until the first. */
  private Map<Integer, OpenFile> high;

  public OpenFile get(int fd) {
    if (fd >= 0 && fd < DIRECT) {
      return fd < low.length ? low[fd] : null;
    }
    return high == null ? null : high.get(fd);
  }

  void put(int fd, OpenFile f) {
    if (fd >= 0 && fd < DIRECT) {
      if (fd >= low.length) {
        low = Arrays.copyOf(low, Math.min(DIRECT, Math.max(fd + 1, low.length * 2)));
      }
      low[fd] = f;
      return;
    }
    if (high == null) {
      high = new HashMap<>();
    }
    high.put(fd, f);
  }

  void close(int fd) {
    if (fd >= 0 && fd < DIRECT) {
      if (fd < low.length) {
        low[fd] = null;
      }
    } else if (high != null) {
      high.remove(fd);
    }
  }

  /** close_range(first, last): closes, or with CLOSE_RANGE_CLOEXEC marks close-on-exec. */
  void closeRange(long first, long last, boolean cloexecOnly) {
    for (int fd = 0; fd < low.length; fd++) {
      if (low[fd] != null && inRange(fd, first, last)) {
        low[fd] = cloexecOnly ? low[fd].withCloexec(true) : null;
      }
    }
    if (high == null) {
      return;
    }
    Iterator<Map.Entry<Integer, OpenFile>> it = high.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, OpenFile> e = it.next();
      if (inRange(e.getKey(), first, last)) {
        if (cloexecOnly) {
          e.setValue(e.getValue().withCloexec(true));
        } else {
          it.remove();
        }
      }
    }
  }

  /** As the kernel reads close_range's unsigned bounds. */
  private static boolean inRange(long fd, long first, long last) {
    return fd >= first && Long.compareUnsigned(fd, last) <= 0;
  }

  /** What survives execve: every fd without close-on-exec. */
  void closeOnExec() {
    for (int fd = 0; fd < low.length; fd++) {
      if (low[fd] != null && low[fd].cloexec()) {
        low[fd] = null;
      }
    }
    if (high != null) {
      high.values().removeIf(OpenFile::cloexec);
    }
  }

  void renameFile(String from, String to) {
    for (int fd = 0; fd < low.length; fd++) {
      low[fd] = renamed(low[fd], from, to);
    }
    if (high != null) {
      high.replaceAll((fd, f) -> renamed(f, from, to));
    }
  }

  private static OpenFile renamed(OpenFile f, String from, String to) {
    return f != null && f.path().equals(from) ? new OpenFile(to, f.key(), f.cloexec()) : f;
  }

  FdTable copy() {
    FdTable c = new FdTable();
    c.low = low.clone();
    c.high = high == null ? null : new HashMap<>(high);
    return c;
  }

  /** Lays another table's fds over this one's. */
  void overlay(FdTable other) {
    for (int fd = 0; fd < other.low.length; fd++) {
      if (other.low[fd] != null) {
        put(fd, other.low[fd]);
      }
    }
    if (other.high != null) {
      other.high.forEach(this::put);
    }
  }
}
