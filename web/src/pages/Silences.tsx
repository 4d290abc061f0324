/**
 * The Silences page: picks the list, a silence's detail or the editor from the hash route
 * (`#/silences`, `#/silences/<id>`, `#/silences/new`, `#/silences/<id>/edit`).
 */
import type { ReactNode } from 'react';
import { Empty, Page } from '../components/common.js';
import { useRoute } from '../hooks.js';
import { useSession } from '../session.js';
import { SilenceDetail } from './silences/SilenceDetail.js';
import { SilenceEditor } from './silences/SilenceEditor.js';
import { SilenceList } from './silences/SilenceList.js';
import { silenceView } from './silences/list.js';

/** Every silences view sits in `.silences-page`, which scopes its styles. */
export function SilencesPage(): ReactNode {
  return <div className="silences-page"><SilencesView /></div>;
}

function SilencesView(): ReactNode {
  const route = useRoute();
  const { tenant } = useSession();
  const view = silenceView(route.path);
  // Keys reset a view's state when the URL or the tenant changes under it.
  const k = `${tenant}\u0000${route.path}\u0000${route.params.toString()}`;
  switch (view.kind) {
    case 'list':
      return <SilenceList key={`${tenant}\u0000${route.params.get('filter') ?? ''}`} params={route.params} />;
    case 'new':
      return <SilenceEditor key={k} target={{ kind: 'new', params: route.params }} />;
    case 'edit':
      return <SilenceEditor key={k} target={{ kind: 'edit', id: view.id }} />;
    case 'detail':
      return <SilenceDetail key={k} id={view.id} />;
    default:
      return (
        <Page title="Silences">
          <Empty>
            Nothing at {view.path}. <a href="#/silences">All silences</a>
          </Empty>
        </Page>
      );
  }
}
