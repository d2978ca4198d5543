package dev.memtrace.model;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One process's file descriptor table (shared by tasks created with CLONE_FILES). Only what the
 * model needs to name a file mapping: fd → {@link OpenFile}.
 */
public final class FdTable {

  private final Map<Integer, OpenFile> fds = new HashMap<>();

  public OpenFile get(int fd) {
    return fds.get(fd);
  }

  void put(int fd, OpenFile f) {
    fds.put(fd, f);
  }

  void close(int fd) {
    fds.remove(fd);
  }

  /** close_range(first, last): closes, or with CLOSE_RANGE_CLOEXEC marks close-on-exec. */
  void closeRange(long first, long last, boolean cloexecOnly) {
    Iterator<Map.Entry<Integer, OpenFile>> it = fds.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, OpenFile> e = it.next();
      long fd = e.getKey();
      if (fd >= first && Long.compareUnsigned(fd, last) <= 0) {
        if (cloexecOnly) {
          e.setValue(e.getValue().withCloexec(true));
        } else {
          it.remove();
        }
      }
    }
  }

  /** What survives execve: every fd without close-on-exec. */
  void closeOnExec() {
    fds.values().removeIf(OpenFile::cloexec);
  }

  void renameFile(String from, String to) {
    fds.replaceAll((fd, f) -> f.path().equals(from) ? new OpenFile(to, f.key(), f.cloexec()) : f);
  }

  FdTable copy() {
    FdTable c = new FdTable();
    c.fds.putAll(fds);
    return c;
  }

  void overlay(FdTable other) {
    fds.putAll(other.fds);
  }
}
