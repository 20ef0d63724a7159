package dev.eekbp.agent.kernel;

/** One sysfs attribute of the eekbp module and the value it should hold. */
public record Setting(String attribute, String value) {
}
