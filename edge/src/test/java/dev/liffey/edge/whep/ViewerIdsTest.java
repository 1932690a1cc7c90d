package dev.liffey.edge.whep;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Viewers' ids name the relay holding them, and only private addresses are ever believed. */
class ViewerIdsTest {
  @Test
  void anIdNamesItsRelay_whenTheRelayHasAPrivateAddress() {
    String id = ViewerIds.newId(Optional.of(new InetSocketAddress("10.0.1.23", 8443)));

    assertThat(id).startsWith("10.0.1.23_8443_");
    assertThat(ViewerIds.owner(id)).hasValue(new InetSocketAddress("10.0.1.23", 8443));
  }

  @Test
  void publicAddressesHostNamesAndBareIdsNameNoRelay() {
    String uuid = "0b7e7a52-3f0e-4c38-9d55-5b0c4f3c2f11";

    assertThat(ViewerIds.owner("203.0.113.7_443_" + uuid)).isEmpty();
    assertThat(ViewerIds.owner("169.254.169.254_80_" + uuid)).isEmpty();
    assertThat(ViewerIds.owner("relay.example_443_" + uuid)).isEmpty();
    assertThat(ViewerIds.owner("10.0.0.1_0_" + uuid)).isEmpty();
    assertThat(ViewerIds.owner(uuid)).isEmpty();
    assertThat(ViewerIds.owner(ViewerIds.newId(Optional.empty()))).isEmpty();
  }
}
