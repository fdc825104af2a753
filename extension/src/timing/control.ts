// Requests on the kernel's control channel (answered by its control thread, never queued behind cells): the timing
// history, device switches, and usage_request's memory figures.
import { KernelMessage, type Kernel } from '@jupyterlab/services';

/** Sends `msgType` with `content` on control; resolves with the reply's content, or rejects after `timeoutMs`. */
export function controlRequest<T>(kernel: Kernel.IKernelConnection, msgType: string, content: object, timeoutMs = 15_000): Promise<T> {
  const message = KernelMessage.createMessage({ msgType, channel: 'control', session: kernel.clientId, content } as never);
  const future = kernel.sendControlMessage(message as never, true, true);
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => {
      reject(new Error(`the kernel did not answer ${msgType} within ${timeoutMs / 1000} s`));
      future.dispose();
    }, timeoutMs);
    future.onReply = (reply) => {
      window.clearTimeout(timer);
      resolve(reply.content as T);
    };
  });
}
