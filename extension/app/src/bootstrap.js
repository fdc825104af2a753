// Entry of the JupyterLab app: loads the prebuilt (federated) extensions the server lists, then starts the app.
// It runs before any shared module, so it reads the page config itself instead of importing @jupyterlab/coreutils.

function pageOption(name) {
  const element = document.getElementById('jupyter-config-data');
  const config = element ? JSON.parse(element.textContent || '{}') : {};
  return config[name];
}

// Chunks are served from the server's static URL, which only the page config knows.
// eslint-disable-next-line no-undef
__webpack_public_path__ = pageOption('fullStaticUrl') + '/';

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = () => reject(new Error(`Failed to load the federated extension script ${url}`));
    script.onload = resolve;
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

// Module federation: each extension's remoteEntry registers a container that shares our singletons.
async function loadContainer(url, scope) {
  await loadScript(url);
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB[scope];
  // eslint-disable-next-line no-undef
  await container.init(__webpack_share_scopes__.default);
}

void (async function bootstrap() {
  const federated = pageOption('federated_extensions') || [];
  const base = pageOption('fullLabextensionsUrl');
  const loaded = await Promise.allSettled(
    federated.map((data) => loadContainer(`${base}/${data.name}/${data.load}`, data.name)),
  );
  loaded.forEach((result) => {
    if (result.status === 'rejected') console.error(result.reason);
  });
  const { main } = await import('./index.js');
  await main(federated.filter((_, i) => loaded[i].status === 'fulfilled'));
})();
