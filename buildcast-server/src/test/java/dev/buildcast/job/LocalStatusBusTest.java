package dev.buildcast.job;

class LocalStatusBusTest extends StatusBusContract {

  @Override
  protected StatusBus newBus() {
    return new LocalStatusBus();
  }
}
