// GOV.UK Frontend's components (the error summary takes focus, radios, details, banners), as a module served from
// this site: the pages' Content-Security-Policy allows no inline or other script.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
