package dev.memtrace.correlate;

import dev.memtrace.trace.Corpus;
import java.nio.file.Path;

/** The corpus's maps snapshots, for the correlate tests: see {@link dev.memtrace.trace.Corpus}. */
public final class Shared {

  private Shared() {}

  /** The folder that holds {@code corpus/}. */
  public static Path dir() {
    return Corpus.shared();
  }

  public static Path mapsCorpus() {
    return Corpus.maps();
  }
}
