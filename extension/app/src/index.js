// The JupyterLab app proper: core extensions from npm plus the federated extensions the bootstrap loaded.
import { PageConfig } from '@jupyterlab/coreutils';
import { JupyterLab } from '@jupyterlab/application';
import '../build/gen/style.js';
import { coreExtensionModules } from '../build/gen/extensions.js';

// Left out: the language-server plugins (they need a server extension jupyter_server 1.23 lacks) and the news
// announcements (they fetch from the internet).
const LEFT_OUT = /:language-server$|^@jupyterlab\/lsp-extension|:announcements$/;

function pluginsOf(module) {
  const data = Object.prototype.hasOwnProperty.call(module, '__esModule') ? module.default : module;
  return (Array.isArray(data) ? data : [data]).filter((plugin) => !LEFT_OUT.test(plugin.id));
}

async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  return factory();
}

export async function main(federated) {
  const extensions = await Promise.all(coreExtensionModules());
  const mimeExtensions = [];
  const styles = [];
  for (const data of federated) {
    try {
      if (data.extension) extensions.push(await federatedModule(data.name, data.extension));
      if (data.mimeExtension) mimeExtensions.push(await federatedModule(data.name, data.mimeExtension));
      if (data.style) styles.push(federatedModule(data.name, data.style));
    } catch (error) {
      console.error(`Could not load the federated extension ${data.name}:`, error);
    }
  }
  await Promise.allSettled(styles);

  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPlugins(
    extensions.flatMap(pluginsOf).filter((plugin) => !PageConfig.Extension.isDisabled(plugin.id)),
  );
  await lab.start();
  await lab.restored;
  window.jupyterapp = lab;
}
