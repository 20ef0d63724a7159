package dev.eekbp.agent.telemetry;

import oshi.SystemInfo;
import oshi.hardware.Sensors;

/**
 * CPU temperature and fan speeds through OSHI, where the machine has them.
 * OSHI allocates per read, so callers sample this at a low rate.
 */
final class OshiSensors implements SensorReader {
    private Sensors sensors;
    private double celsius = Double.NaN;
    private int[] fans = new int[0];

    @Override
    public void sample() {
        try {
            if (sensors == null) {
                sensors = new SystemInfo().getHardware().getSensors();
            }
            double t = sensors.getCpuTemperature();
            celsius = t > 0 && !Double.isNaN(t) ? t : Double.NaN; // OSHI reports 0 when absent
            fans = sensors.getFanSpeeds();
        } catch (RuntimeException | LinkageError e) {
            celsius = Double.NaN; // no sensors (or no JNA native) here
            fans = new int[0];
        }
    }

    @Override
    public double cpuCelsius() {
        return celsius;
    }

    @Override
    public int[] fanRpm() {
        return fans;
    }
}
