package dev.liffey.autoscaler.daemon;

/** One run of the control loop, as the Quartz job calls it. */
interface Tick {
  void tick();
}
