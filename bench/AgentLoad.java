import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with the given options, as `jcmd JVMTI.agent_load` would if
 * jcmd did not split "key=value" options. Used by bench/profile.sh to start and stop async-profiler.
 *
 * <p>Run as a single source file: {@code java bench/AgentLoad.java PID AGENT_PATH OPTIONS}.
 */
public final class AgentLoad {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
