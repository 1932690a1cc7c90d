package dev.liffey.autoscaler.engine;

/** Viewers of one market served from one region: the dimensions of the edge metrics. */
public record MarketRegion(String market, String region) {
  @Override
  public String toString() {
    return market + "@" + region;
  }
}
