package dev.eekbp.agent.power;

/** A power level in watts; NaN means not known yet. */
public record Power(double watts) {
    public static final Power UNKNOWN = new Power(Double.NaN);

    public boolean known() {
        return !Double.isNaN(watts);
    }
}
