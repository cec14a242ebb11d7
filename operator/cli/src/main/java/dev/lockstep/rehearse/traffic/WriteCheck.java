package dev.lockstep.rehearse.traffic;

/**
 * The read-back of every acknowledged write at the end of a rehearsal.
 *
 * @param acknowledged writes the application answered with success (creates and updates)
 * @param records distinct records those writes left, each read back once
 * @param lost records that read back as missing
 * @param wrong records that read back with other content than the last acknowledged write
 * @param unverified records that could not be read back (no ready pod, or the read itself failed)
 * @param checked whether the plan could check writes at all (a traffic file cannot)
 */
public record WriteCheck(long acknowledged, long records, long lost, long wrong, long unverified, boolean checked) {

  public static final WriteCheck NOT_CHECKED = new WriteCheck(0, 0, 0, 0, 0, false);
}
