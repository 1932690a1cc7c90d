package dev.liffey.edge.janus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Janus 1.1.2's event handler posts, as recorded from a real Janus with a real WebRTC viewer. */
class JanusEventsTest {
  private final List<String> seen = new ArrayList<>();
  private final JanusEvents.Listener listener =
      new JanusEvents.Listener() {
        @Override
        public void lost(long session, String why) {
          seen.add("lost " + session + ": " + why);
        }

        @Override
        public void rtt(long session, double millis) {
          seen.add("rtt " + session + ": " + millis);
        }
      };

  private void dispatch(String json) throws Exception {
    JanusEvents.dispatch(new ObjectMapper().readTree(json), listener);
  }

  @Test
  void aViewerWhoVanishesIsLost_whenICEFails_orTheConnectionHangsUp() throws Exception {
    dispatch(
        """
        [{"emitter":"relay","type":16,"subtype":1,"timestamp":1,"session_id":11,"handle_id":12,
          "event":{"ice":"failed","stream_id":1,"component_id":1}},
         {"emitter":"relay","type":16,"subtype":6,"timestamp":2,"session_id":21,"handle_id":22,
          "event":{"connection":"hangup","reason":"ICE failed"}},
         {"emitter":"relay","type":16,"subtype":1,"timestamp":3,"session_id":31,"handle_id":32,
          "event":{"ice":"connected","stream_id":1,"component_id":1}}]
        """);

    assertThat(seen)
        .containsExactly("lost 11: ICE failed", "lost 21: PeerConnection hung up (ICE failed)");
  }

  @Test
  void sessionsThatTimeOutOrAreDestroyed_andDetachedHandles_areLost_butNewOnesAreNot()
      throws Exception {
    dispatch(
        """
        {"emitter":"relay","type":1,"timestamp":1,"session_id":41,"event":{"name":"timeout"}}
        """);
    dispatch(
        """
        [{"type":1,"session_id":42,"event":{"name":"created","transport":{"transport":"janus.transport.http"}}},
         {"type":1,"session_id":43,"event":{"name":"destroyed"}},
         {"type":2,"session_id":44,"handle_id":45,"event":{"name":"attached","plugin":"janus.plugin.streaming"}},
         {"type":2,"session_id":46,"handle_id":47,"event":{"name":"detached","plugin":"janus.plugin.streaming"}}]
        """);

    assertThat(seen)
        .containsExactly(
            "lost 41: Janus session timeout",
            "lost 43: Janus session destroyed",
            "lost 46: Janus handle detached");
  }

  @Test
  void mediaStatisticsCarryTheRoundTripTime_andZeroMeansNoneYet() throws Exception {
    dispatch(
        """
        [{"type":32,"subtype":3,"session_id":51,"handle_id":52,
          "event":{"mid":"v","mindex":1,"media":"video","codec":"h264","base":90000,"rtt":14,
                   "lost":0,"lost-by-remote":0,"jitter-local":0,"jitter-remote":1}},
         {"type":32,"subtype":3,"session_id":51,"handle_id":52,
          "event":{"mid":"a","mindex":0,"media":"audio","codec":"opus","base":48000,"rtt":0}},
         {"type":128,"event":{"transport":"janus.transport.http"}}]
        """);

    assertThat(seen).containsExactly("rtt 51: 14.0");
  }
}
