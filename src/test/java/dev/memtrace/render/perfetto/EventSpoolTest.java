package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.Region;
import dev.memtrace.render.spool.Spool;
import dev.memtrace.timeline.RegionClass;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The spool of the Perfetto renderer: what it writes of a string, and what it reads back. */
class EventSpoolTest {

  @Test
  void aStringIsSpooledAsItsUtf8BytesAfterTheirCount() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Spool.writeString(new DataOutputStream(bytes), "/usr/lib/x86_64-linux-gnu/libc.so.6");
    assertThat(bytes.size()).isEqualTo(4 + 35);
  }

  @Test
  void anEventsRegionsComeBackAsWritten() throws IOException {
    Region named =
        new Region(0x7f0000000000L, 0x7f0000002000L, "r-xp", 0x1000, "08:01", 42, "/tmp/ü 文件", 7);
    Region anonymous = new Region(0x1000, 0x3000, "rw-p", 0, null, 0, null, 9);
    try (EventSpool s = new EventSpool()) {
      DataOutputStream out = s.out();
      out.writeInt(100); // task
      out.writeInt(-1); // process
      out.writeInt(-1); // space
      out.writeDouble(1.5);
      out.writeDouble(0.25);
      out.writeBoolean(true);
      Spool.writeString(out, "mmap");
      Spool.writeString(out, null);
      out.writeInt(0); // args
      out.writeInt(2);
      out.writeByte(RegionClass.values()[0].ordinal());
      Spool.writeRegion(out, null);
      Spool.writeRegion(out, named);
      out.writeByte(-1);
      Spool.writeRegion(out, anonymous);
      Spool.writeRegion(out, null);
      out.writeInt(0); // learnt
      s.rewind();
      EventSpool.Entry e = new EventSpool.Entry();
      assertThat(s.read(e)).isTrue();
      assertThat(e.task).isEqualTo(100);
      assertThat(e.name).isEqualTo("mmap");
      assertThat(e.cat).isNull();
      assertThat(e.after).containsExactly(named, null);
      assertThat(e.before).containsExactly(null, anonymous);
      assertThat(e.classes).containsExactly(RegionClass.values()[0], null);
      assertThat(s.read(e)).isFalse();
    }
  }
}
