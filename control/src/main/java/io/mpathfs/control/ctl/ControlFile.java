package io.mpathfs.control.ctl;

/**
 * One file under ctl/: reading shows its view; writing one command line runs it. A write's
 * outcome is what a read on the same open file returns next (a transaction file, as nfsd's).
 */
public interface ControlFile {
    /** File name under ctl/, e.g. "paths". */
    String name();

    /** The file's view when read without a prior write on the same open file. */
    String view();

    /**
     * Runs one command line.
     *
     * @return the result text (may be empty for plain acknowledgements)
     * @throws CtlException with the errno write() fails with and a one-line reason
     */
    String execute(String line) throws CtlException;
}
