package dev.memtrace.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording format round-trips, is told from a log, and survives a cut-off end. */
class RecordingFormatTest {

  @TempDir Path dir;

  private static final RecordingHeader HEADER =
      new RecordingHeader(
          1,
          List.of("cat", "x y"),
          null,
          List.of("/usr/bin/strace", "-f", "-o", "FIFO"),
          new Versions("6.1", "6.18.44", "2.36"),
          "2026-11-26T09:35:10Z",
          true,
          2000);

  private static final List<LiveItem> ITEMS =
      List.of(
          // run -p: the process's threads as strace attached, which the trace never shows cloned,
          // and
          // its program, whose execve it never shows
          new MapsSnapshot(
              0,
              42,
              MapsSnapshot.Kind.ATTACH,
              "7ffd95eea000-7ffd95f0b000 rw-p 00000000 00:00 0                          [stack]\n",
              3,
              40,
              2000,
              List.of(42, 43, 47),
              "/usr/bin/python3.11"),
          new LiveItem.LogLine(
              1,
              "42  1795683651.094989 execve(\"/bin/cat\", [\"cat\"], 0x7ffc /* 2 vars */) = 0 <0.000233>"),
          new LiveItem.LogLine(
              2, "42  1795683651.095000 brk(NULL) = 0x5560d3ca1000 (DELAYED) <0.000006>"),
          new MapsSnapshot(
              2,
              42,
              MapsSnapshot.Kind.AFTER_CALL,
              "5560ad692000-5560ad694000 r--p 00000000 fe:00 260131 /usr/bin/caf\u00e9\u00ff\n",
              1,
              85,
              2000),
          new LiveItem.LogLine(3, "42  raw bytes \u00ff\u00fe\u0001 stay bytes"),
          new MapsSnapshot(3, 42, MapsSnapshot.Kind.EXIT, null, 3, 2500, 2000));

  private Path write(boolean end) throws IOException {
    Path f = dir.resolve("r.mtrace");
    try (RecordingWriter w = new RecordingWriter(f, HEADER)) {
      for (LiveItem i : ITEMS) {
        w.item(i);
      }
      if (end) {
        w.end(3, false, 3, 2);
      }
    }
    return f;
  }

  @Test
  void itemsAndHeaderComeBackAsWritten() throws IOException {
    Path f = write(true);
    List<LiveItem> back = new ArrayList<>();
    RecordingReader.Replay r = RecordingReader.replay(f, back::add);

    assertThat(back).isEqualTo(ITEMS);
    assertThat(r.header()).isEqualTo(HEADER);
    assertThat(r.exitStatus()).isEqualTo(3);
    MapsSnapshot exit = (MapsSnapshot) back.get(5);
    assertThat(((MapsSnapshot) back.get(0)).tasks()).containsExactly(42, 43, 47);
    assertThat(exit.tasks()).isEmpty();
    assertThat(((MapsSnapshot) back.get(0)).exe()).isEqualTo("/usr/bin/python3.11");
    assertThat(exit.exe()).isNull();
    assertThat(exit.missed()).isTrue();
    assertThat(exit.racy()).isTrue();
    assertThat(exit.late()).isTrue();
  }

  @Test
  void aRecordingIsToldFromAnStraceLog() throws IOException {
    assertThat(RecordingReader.isRecording(write(true))).isTrue();
    Path log = Files.writeString(dir.resolve("x.log"), "42  brk(NULL) = 0x1\n");
    assertThat(RecordingReader.isRecording(log)).isFalse();
    assertThat(RecordingReader.isRecording(dir.resolve("missing"))).isFalse();
  }

  @Test
  void aCutOffLastObjectEndsTheReplayWithWhatCameBefore() throws IOException {
    Path f = write(false);
    Files.writeString(
        f, "{\"type\":\"log\",\"line\":4,\"text\":\"42  mmap(NU", StandardOpenOption.APPEND);
    List<LiveItem> back = new ArrayList<>();
    RecordingReader.Replay r = RecordingReader.replay(f, back::add);
    assertThat(back).isEqualTo(ITEMS);
    assertThat(r.exitStatus()).isNull();
  }

  @Test
  void anotherVersionIsRefusedWithAClearMessage() throws IOException {
    Path f = dir.resolve("v2.mtrace");
    Files.writeString(
        f,
        "{\"type\":\"header\",\"format\":\"memtrace-recording\",\"version\":2}\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RecordingReader.open(f))
        .hasMessageEndingWith("recording format version 2; this memtrace reads version 1");
  }
}
