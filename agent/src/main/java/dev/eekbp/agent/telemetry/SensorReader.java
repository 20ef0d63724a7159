package dev.eekbp.agent.telemetry;

/** Temperature and fan sensors; NaN / empty where the machine has none. */
interface SensorReader {
    void sample();

    double cpuCelsius();

    int[] fanRpm();
}
