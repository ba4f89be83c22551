// seedrandom's Alea generator on its own (@types/seedrandom types only the package's index).
declare module "seedrandom/lib/alea.js" {
  import type seedrandom from "seedrandom";
  const alea: typeof seedrandom.alea;
  export default alea;
}
